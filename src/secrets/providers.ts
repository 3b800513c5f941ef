/**
 * The table of known credential formats: one entry per provider token shape, with the name a
 * finding uses ("a GitHub personal access token") and the environment variable a moved secret
 * is usually given. Patterns are anchored on the provider's fixed prefix so they stay cheap and
 * precise; the detector checks boundaries and placeholders around each match.
 */

export interface ProviderFormat {
  /** Stable id, e.g. `github-pat`. */
  id: string;
  /** Provider name, e.g. "GitHub". */
  provider: string;
  /** What the token is, with its article, e.g. "a GitHub personal access token". */
  label: string;
  /** The body of the pattern (no flags, no boundaries); compiled once below. */
  pattern: string;
  /** Conventional environment variable name for the secret. */
  envName: string;
  /** Length of the fixed prefix, whose characters are excluded from placeholder checks. */
  prefixLength: number;
  /** 'high': the prefix alone identifies the provider; 'medium': the shape is shared with other values. */
  confidence: 'high' | 'medium';
}

const B62 = 'A-Za-z0-9';
const URLSAFE = 'A-Za-z0-9_\\-';

/** Ordered: more specific formats come before the generic ones that would also match. */
export const PROVIDER_FORMATS: readonly ProviderFormat[] = [
  {id: 'github-pat', provider: 'GitHub', label: 'a GitHub personal access token', pattern: `ghp_[${B62}]{36}`, envName: 'GITHUB_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'github-fine-grained-pat', provider: 'GitHub', label: 'a GitHub fine-grained personal access token', pattern: `github_pat_[${B62}]{22}_[${B62}]{59}`, envName: 'GITHUB_TOKEN', prefixLength: 11, confidence: 'high'},
  {id: 'github-oauth', provider: 'GitHub', label: 'a GitHub OAuth access token', pattern: `gho_[${B62}]{36}`, envName: 'GITHUB_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'github-app', provider: 'GitHub', label: 'a GitHub App token', pattern: `gh[usr]_[${B62}]{36}`, envName: 'GITHUB_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'gitlab-pat', provider: 'GitLab', label: 'a GitLab personal access token', pattern: `glpat-[${URLSAFE}]{20,}`, envName: 'GITLAB_TOKEN', prefixLength: 6, confidence: 'high'},
  {id: 'gitlab-token', provider: 'GitLab', label: 'a GitLab token', pattern: `gl(?:dt|rt|ptt|oas|cbt|imt|ft|agent)-[${URLSAFE}]{20,}`, envName: 'GITLAB_TOKEN', prefixLength: 5, confidence: 'high'},
  {id: 'slack-token', provider: 'Slack', label: 'a Slack token', pattern: `xox[abposre]-(?:[0-9]+-){1,4}[${B62}-]{8,}`, envName: 'SLACK_BOT_TOKEN', prefixLength: 5, confidence: 'high'},
  {id: 'slack-app-token', provider: 'Slack', label: 'a Slack app-level token', pattern: `xapp-[0-9]+-[A-Z0-9]+-[0-9]+-[a-f0-9]{20,}`, envName: 'SLACK_APP_TOKEN', prefixLength: 5, confidence: 'high'},
  {id: 'slack-webhook', provider: 'Slack', label: 'a Slack webhook URL secret', pattern: `(?<=hooks\\.slack\\.com/services/)T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[${B62}]{20,}`, envName: 'SLACK_WEBHOOK_URL', prefixLength: 0, confidence: 'high'},
  {id: 'anthropic-api-key', provider: 'Anthropic', label: 'an Anthropic API key', pattern: `sk-ant-(?:api|admin|sid|oat)\\d{2}-[${URLSAFE}]{40,}`, envName: 'ANTHROPIC_API_KEY', prefixLength: 13, confidence: 'high'},
  {id: 'openai-project-key', provider: 'OpenAI', label: 'an OpenAI API key', pattern: `sk-(?:proj|svcacct|admin|None)-[${URLSAFE}]{40,}`, envName: 'OPENAI_API_KEY', prefixLength: 8, confidence: 'high'},
  {id: 'openai-legacy-key', provider: 'OpenAI', label: 'an OpenAI API key', pattern: `sk-[${B62}]{20}T3BlbkFJ[${B62}]{20}`, envName: 'OPENAI_API_KEY', prefixLength: 3, confidence: 'high'},
  {id: 'deepseek-api-key', provider: 'DeepSeek', label: 'an API key (sk- format, DeepSeek and others)', pattern: `sk-[a-f0-9]{32}`, envName: 'DEEPSEEK_API_KEY', prefixLength: 3, confidence: 'medium'},
  {id: 'sk-api-key', provider: 'OpenAI-compatible', label: 'an OpenAI-style API key', pattern: `sk-[${B62}]{32,}`, envName: 'OPENAI_API_KEY', prefixLength: 3, confidence: 'medium'},
  {id: 'openrouter-api-key', provider: 'OpenRouter', label: 'an OpenRouter API key', pattern: `sk-or-v1-[a-f0-9]{64}`, envName: 'OPENROUTER_API_KEY', prefixLength: 9, confidence: 'high'},
  {id: 'aws-access-key-id', provider: 'AWS', label: 'an AWS access key ID', pattern: `(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}`, envName: 'AWS_ACCESS_KEY_ID', prefixLength: 4, confidence: 'high'},
  {id: 'stripe-secret-key', provider: 'Stripe', label: 'a Stripe secret key', pattern: `(?:sk|rk)_(?:live|test)_[${B62}]{24,}`, envName: 'STRIPE_SECRET_KEY', prefixLength: 8, confidence: 'high'},
  {id: 'stripe-webhook-secret', provider: 'Stripe', label: 'a Stripe webhook signing secret', pattern: `whsec_[${B62}]{32,}`, envName: 'STRIPE_WEBHOOK_SECRET', prefixLength: 6, confidence: 'high'},
  {id: 'google-api-key', provider: 'Google', label: 'a Google API key', pattern: `AIza[${URLSAFE}]{35}`, envName: 'GOOGLE_API_KEY', prefixLength: 4, confidence: 'high'},
  {id: 'google-oauth-secret', provider: 'Google', label: 'a Google OAuth client secret', pattern: `GOCSPX-[${URLSAFE}]{28}`, envName: 'GOOGLE_CLIENT_SECRET', prefixLength: 7, confidence: 'high'},
  {id: 'google-oauth-token', provider: 'Google', label: 'a Google OAuth access token', pattern: `ya29\\.[${URLSAFE}]{30,}`, envName: 'GOOGLE_ACCESS_TOKEN', prefixLength: 5, confidence: 'high'},
  {id: 'google-vertex-express-key', provider: 'Google', label: 'a Google Cloud (Vertex AI express) API key', pattern: `AQ\\.Ab[${URLSAFE}]{40,60}`, envName: 'GOOGLE_API_KEY', prefixLength: 5, confidence: 'high'},
  {id: 'neon-api-key', provider: 'Neon', label: 'a Neon API key', pattern: `napi_[a-z0-9]{64}`, envName: 'NEON_API_KEY', prefixLength: 5, confidence: 'high'},
  {id: 'npm-token', provider: 'npm', label: 'an npm access token', pattern: `npm_[${B62}]{36}`, envName: 'NPM_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'huggingface-token', provider: 'Hugging Face', label: 'a Hugging Face access token', pattern: `hf_[${B62}]{34}`, envName: 'HF_TOKEN', prefixLength: 3, confidence: 'high'},
  {id: 'linear-api-key', provider: 'Linear', label: 'a Linear API key', pattern: `lin_(?:api|oauth)_[${B62}]{40}`, envName: 'LINEAR_API_KEY', prefixLength: 8, confidence: 'high'},
  {id: 'notion-token', provider: 'Notion', label: 'a Notion integration token', pattern: `ntn_[${B62}]{40,50}`, envName: 'NOTION_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'notion-legacy-token', provider: 'Notion', label: 'a Notion integration token', pattern: `secret_[${B62}]{43}`, envName: 'NOTION_TOKEN', prefixLength: 7, confidence: 'high'},
  {id: 'supabase-access-token', provider: 'Supabase', label: 'a Supabase access token', pattern: `sbp_[a-f0-9]{40}`, envName: 'SUPABASE_ACCESS_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'supabase-secret-key', provider: 'Supabase', label: 'a Supabase secret key', pattern: `sb_secret_[${URLSAFE}]{20,}`, envName: 'SUPABASE_SECRET_KEY', prefixLength: 10, confidence: 'high'},
  {id: 'sendgrid-api-key', provider: 'SendGrid', label: 'a SendGrid API key', pattern: `SG\\.[${URLSAFE}]{22}\\.[${URLSAFE}]{43}`, envName: 'SENDGRID_API_KEY', prefixLength: 3, confidence: 'high'},
  {id: 'tavily-api-key', provider: 'Tavily', label: 'a Tavily API key', pattern: `tvly-(?:dev-|prod-)?[${B62}]{32}`, envName: 'TAVILY_API_KEY', prefixLength: 5, confidence: 'high'},
  {id: 'perplexity-api-key', provider: 'Perplexity', label: 'a Perplexity API key', pattern: `pplx-[${B62}]{40,}`, envName: 'PERPLEXITY_API_KEY', prefixLength: 5, confidence: 'high'},
  {id: 'groq-api-key', provider: 'Groq', label: 'a Groq API key', pattern: `gsk_[${B62}]{52}`, envName: 'GROQ_API_KEY', prefixLength: 4, confidence: 'high'},
  {id: 'replicate-token', provider: 'Replicate', label: 'a Replicate API token', pattern: `r8_[${B62}]{37}`, envName: 'REPLICATE_API_TOKEN', prefixLength: 3, confidence: 'high'},
  {id: 'xai-api-key', provider: 'xAI', label: 'an xAI API key', pattern: `xai-[${B62}]{70,}`, envName: 'XAI_API_KEY', prefixLength: 4, confidence: 'high'},
  {id: 'firecrawl-api-key', provider: 'Firecrawl', label: 'a Firecrawl API key', pattern: `fc-[a-f0-9]{32}`, envName: 'FIRECRAWL_API_KEY', prefixLength: 3, confidence: 'high'},
  {id: 'brave-api-key', provider: 'Brave Search', label: 'a Brave Search API key', pattern: `BSA[${URLSAFE}]{24,32}`, envName: 'BRAVE_API_KEY', prefixLength: 3, confidence: 'medium'},
  {id: 'digitalocean-token', provider: 'DigitalOcean', label: 'a DigitalOcean token', pattern: `do[por]_v1_[a-f0-9]{64}`, envName: 'DIGITALOCEAN_API_TOKEN', prefixLength: 7, confidence: 'high'},
  {id: 'shopify-token', provider: 'Shopify', label: 'a Shopify access token', pattern: `shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}`, envName: 'SHOPIFY_ACCESS_TOKEN', prefixLength: 6, confidence: 'high'},
  {id: 'atlassian-api-token', provider: 'Atlassian', label: 'an Atlassian API token', pattern: `ATATT3[${URLSAFE}=]{100,}`, envName: 'ATLASSIAN_API_TOKEN', prefixLength: 6, confidence: 'high'},
  {id: 'sentry-token', provider: 'Sentry', label: 'a Sentry auth token', pattern: `sntr[ysu]s?_[${URLSAFE}=+/]{40,}`, envName: 'SENTRY_AUTH_TOKEN', prefixLength: 7, confidence: 'high'},
  {id: 'figma-token', provider: 'Figma', label: 'a Figma access token', pattern: `fig[dou]_[${URLSAFE}]{30,}`, envName: 'FIGMA_API_KEY', prefixLength: 5, confidence: 'high'},
  {id: 'airtable-pat', provider: 'Airtable', label: 'an Airtable personal access token', pattern: `pat[${B62}]{14}\\.[a-f0-9]{64}`, envName: 'AIRTABLE_API_KEY', prefixLength: 3, confidence: 'high'},
  {id: 'postman-api-key', provider: 'Postman', label: 'a Postman API key', pattern: `PMAK-[a-f0-9]{24}-[a-f0-9]{34}`, envName: 'POSTMAN_API_KEY', prefixLength: 5, confidence: 'high'},
  {id: 'doppler-token', provider: 'Doppler', label: 'a Doppler token', pattern: `dp\\.(?:pt|st|sa|ct|scim|audit)\\.[${B62}]{40,}`, envName: 'DOPPLER_TOKEN', prefixLength: 6, confidence: 'high'},
  {id: 'databricks-token', provider: 'Databricks', label: 'a Databricks personal access token', pattern: `dapi[a-f0-9]{32}(?:-\\d)?`, envName: 'DATABRICKS_TOKEN', prefixLength: 4, confidence: 'high'},
  {id: 'mailgun-api-key', provider: 'Mailgun', label: 'a Mailgun API key', pattern: `key-[a-f0-9]{32}`, envName: 'MAILGUN_API_KEY', prefixLength: 4, confidence: 'medium'},
  {id: 'telegram-bot-token', provider: 'Telegram', label: 'a Telegram bot token', pattern: `[0-9]{8,10}:AA[${URLSAFE}]{33}`, envName: 'TELEGRAM_BOT_TOKEN', prefixLength: 0, confidence: 'high'},
  {id: 'jwt', provider: 'JWT', label: 'a JSON Web Token', pattern: `eyJ[${URLSAFE}]{10,}\\.eyJ[${URLSAFE}]{10,}\\.[${URLSAFE}]{10,}`, envName: 'JWT_TOKEN', prefixLength: 3, confidence: 'high'},
  {id: 'private-key', provider: 'PEM', label: 'a private key', pattern: `-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|$)`, envName: 'PRIVATE_KEY', prefixLength: 0, confidence: 'high'},
];

/**
 * One alternation over every format, each in its own capture group, with boundaries that do
 * not split tokens: a token neither starts nor ends inside a longer run of token characters
 * (a `:-` before it is fine: `${VAR:-<token>}`). Compiled once at module load.
 */
export const PROVIDER_REGEX = new RegExp(
  // One shared lookbehind in front of the alternation: checked once per position instead of once
  // per format, which makes the scan about ten times faster.
  `(?<![A-Za-z0-9_.]|[A-Za-z0-9]-)(?:${PROVIDER_FORMATS.map((f) => `(${f.pattern})`).join('|')})(?![A-Za-z0-9_\\-])`,
  'g',
);

/** The format whose capture group matched, from a match of PROVIDER_REGEX. */
export function formatOfMatch(m: RegExpExecArray): ProviderFormat | undefined {
  for (let i = 0; i < PROVIDER_FORMATS.length; i++) if (m[i + 1] !== undefined) return PROVIDER_FORMATS[i];
  return undefined;
}
