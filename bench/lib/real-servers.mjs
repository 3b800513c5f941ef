// Real MCP servers from npm for the benchmarks: the pinned server table, installing each package
// once into a reusable cache folder (install scripts off, no browser downloads), how to launch one
// with dummy credentials (listing tools needs no account), and a lenient paginated tools/list.
// Used by bench/search/record-tools.mjs (records fixtures) and bench/serve/run.mjs --real.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A placeholder credential: clearly fake, never shaped like a provider's real token. */
const dummy = (prefix = '') => `${prefix}dummy-not-a-real-credential`;

/**
 * The servers. `name` becomes the namespace (`<name>__<tool>`); `args` and `env` are what the
 * server needs to start and answer tools/list without an account. `{work}` in them stands for the
 * server's own scratch folder (also its HOME and cwd).
 */
export const REAL_SERVERS = [
  {name: 'everything', pkg: '@modelcontextprotocol/server-everything', version: '2026.8.31', args: ['stdio']},
  {name: 'filesystem', pkg: '@modelcontextprotocol/server-filesystem', version: '2026.8.31', args: ['{work}']},
  {name: 'memory', pkg: '@modelcontextprotocol/server-memory', version: '2026.8.31', env: {MEMORY_FILE_PATH: '{work}/memory.jsonl'}},
  {name: 'sequential-thinking', pkg: '@modelcontextprotocol/server-sequential-thinking', version: '2026.8.31'},
  {name: 'github', pkg: '@modelcontextprotocol/server-github', version: '2025.4.8', env: {GITHUB_PERSONAL_ACCESS_TOKEN: dummy()}},
  {name: 'gitlab', pkg: '@modelcontextprotocol/server-gitlab', version: '2025.4.25', env: {GITLAB_PERSONAL_ACCESS_TOKEN: dummy(), GITLAB_API_URL: 'https://gitlab.invalid/api/v4'}},
  {name: 'slack', pkg: '@modelcontextprotocol/server-slack', version: '2025.4.25', env: {SLACK_BOT_TOKEN: dummy(), SLACK_TEAM_ID: 'T00000000'}},
  {name: 'brave-search', pkg: '@modelcontextprotocol/server-brave-search', version: '0.6.2', env: {BRAVE_API_KEY: dummy()}},
  {name: 'google-maps', pkg: '@modelcontextprotocol/server-google-maps', version: '0.6.2', env: {GOOGLE_MAPS_API_KEY: dummy()}},
  {name: 'postgres', pkg: '@modelcontextprotocol/server-postgres', version: '0.6.2', args: ['postgresql://127.0.0.1:1/none']},
  {name: 'puppeteer', pkg: '@modelcontextprotocol/server-puppeteer', version: '2025.5.12'},
  {name: 'notion', pkg: '@notionhq/notion-mcp-server', version: '2.5.2', env: {NOTION_TOKEN: dummy()}},
  {name: 'tavily', pkg: 'tavily-mcp', version: '0.2.22', env: {TAVILY_API_KEY: dummy()}},
  {name: 'exa', pkg: 'exa-mcp-server', version: '3.4.1', env: {EXA_API_KEY: dummy()}},
  {name: 'context7', pkg: '@upstash/context7-mcp', version: '4.1.1'},
  {name: 'playwright', pkg: '@playwright/mcp', version: '0.0.83', args: ['--headless']},
  {name: 'kubernetes', pkg: 'mcp-server-kubernetes', version: '4.1.7'},
  {name: 'mongodb', pkg: 'mongodb-mcp-server', version: '3.0.4', env: {MDB_MCP_TELEMETRY: 'disabled'}},
];
/**
 * Servers the search ranker was never developed against: their tool lists (recorded into
 * bench/fixtures/tools-unseen/) and the queries written for them test whether the ranking carries
 * over to tools nobody tuned it on. Never used by bench/serve.
 */
export const UNSEEN_SERVERS = [
  {name: 'desktop-commander', pkg: '@wonderwhy-er/desktop-commander', version: '0.2.52'},
  {name: 'aws-kb', pkg: '@modelcontextprotocol/server-aws-kb-retrieval', version: '0.6.2', env: {AWS_ACCESS_KEY_ID: dummy(), AWS_SECRET_ACCESS_KEY: dummy(), AWS_REGION: 'us-east-1'}},
  {name: 'everart', pkg: '@modelcontextprotocol/server-everart', version: '0.6.2', env: {EVERART_API_KEY: dummy()}},
  {name: 'airtable', pkg: 'airtable-mcp-server', version: '1.14.0', env: {AIRTABLE_API_KEY: dummy()}},
  {name: 'youtube-transcript', pkg: '@kimtaeyoon83/mcp-server-youtube-transcript', version: '0.1.1'},
  {name: 'elasticsearch', pkg: '@elastic/mcp-server-elasticsearch', version: '0.3.1', env: {ES_URL: 'http://127.0.0.1:1', ES_API_KEY: dummy()}},
  {name: 'pinecone', pkg: '@pinecone-database/mcp', version: '0.3.0', env: {PINECONE_API_KEY: dummy()}},
  {name: 'jira', pkg: '@aashari/mcp-server-atlassian-jira', version: '3.3.0', env: {ATLASSIAN_SITE_NAME: 'example', ATLASSIAN_USER_EMAIL: 'nobody@example.invalid', ATLASSIAN_API_TOKEN: dummy()}},
  {name: 'circleci', pkg: '@circleci/mcp-server-circleci', version: '0.20.0', env: {CIRCLECI_TOKEN: dummy()}},
  {name: 'ea-playwright', pkg: '@executeautomation/playwright-mcp-server', version: '1.0.12'},
  {name: 'browserbase', pkg: '@browserbasehq/mcp-server-browserbase', version: '2.4.3', env: {BROWSERBASE_API_KEY: dummy(), BROWSERBASE_PROJECT_ID: dummy()}},
  {name: 'hubspot', pkg: '@hubspot/mcp-server', version: '0.4.0', env: {PRIVATE_APP_ACCESS_TOKEN: dummy()}},
  {name: 'gitlab-community', pkg: '@zereight/mcp-gitlab', version: '2.1.64', env: {GITLAB_PERSONAL_ACCESS_TOKEN: dummy(), GITLAB_API_URL: 'https://gitlab.invalid/api/v4'}},
  {name: 'obsidian', pkg: 'mcp-obsidian', version: '1.0.0', args: ['{work}']},
];
/**
 * A second batch of servers the ranker was never developed against (bench/fixtures/tools-unseen2/),
 * with its own blind queries. Never used by bench/serve.
 */
export const UNSEEN2_SERVERS = [
  {name: 'linear', pkg: '@tacticlaunch/mcp-linear', version: '1.4.3', env: {LINEAR_API_TOKEN: dummy()}},
  {name: 'asana', pkg: '@roychri/mcp-server-asana', version: '1.8.0', env: {ASANA_ACCESS_TOKEN: dummy()}},
  {name: 'trello', pkg: '@delorenj/mcp-server-trello', version: '1.8.1', env: {TRELLO_API_KEY: dummy(), TRELLO_TOKEN: dummy()}},
  {name: 'xero', pkg: '@xeroapi/xero-mcp-server', version: '0.0.17', env: {XERO_CLIENT_ID: dummy(), XERO_CLIENT_SECRET: dummy()}},
  {name: 'google-calendar', pkg: '@cocal/google-calendar-mcp', version: '2.6.3', env: {GOOGLE_OAUTH_CREDENTIALS: '{work}/gcp-oauth.keys.json'},
    files: {'gcp-oauth.keys.json': JSON.stringify({installed: {client_id: 'dummy.apps.example.invalid', client_secret: dummy(), redirect_uris: ['http://localhost']}})}},
  {name: 'git', pkg: '@cyanheads/git-mcp-server', version: '2.15.3', env: {MCP_TRANSPORT_TYPE: 'stdio', MCP_LOG_LEVEL: 'error', GIT_BASE_DIR: '{work}'}},
  {name: 'netlify', pkg: '@netlify/mcp', version: '1.15.1', env: {NETLIFY_PERSONAL_ACCESS_TOKEN: dummy()}},
  {name: 'launchdarkly', pkg: '@launchdarkly/mcp-server', version: '0.6.2', args: ['start', '--api-key', dummy()]},
  {name: 'shopify-dev', pkg: '@shopify/dev-mcp', version: '1.16.0', env: {OPT_OUT_INSTRUMENTATION: 'true'}},
  {name: 'figma', pkg: 'figma-developer-mcp', version: '0.13.2', args: ['--stdio'], env: {FIGMA_API_KEY: dummy()}},
  {name: 'lara', pkg: '@translated/lara-mcp', version: '1.0.6', env: {LARA_ACCESS_KEY_ID: dummy(), LARA_ACCESS_KEY_SECRET: dummy()}},
  {name: 'brightdata', pkg: '@brightdata/mcp', version: '2.11.3', env: {API_TOKEN: dummy()}},
  {name: 'npx-fetch', pkg: '@tokenizin/mcp-npx-fetch', version: '1.0.0'},
  {name: 'taskmanager', pkg: '@kazuph/mcp-taskmanager', version: '1.1.1', env: {TASK_MANAGER_FILE_PATH: '{work}/tasks.json'}},
];
/**
 * A third batch of servers the ranker was never developed against (bench/fixtures/tools-unseen3/),
 * with its own blind queries. Never used by bench/serve.
 */
export const UNSEEN3_SERVERS = [
  // Outlook (mail, calendar, contacts) and Teams only: all of Microsoft 365 is 344 tools.
  {name: 'ms365', pkg: '@softeria/ms-365-mcp-server', version: '0.155.0', args: ['--org-mode', '--preset', 'outlook,teams']},
  {name: 'gmail', pkg: '@gongrzhe/server-gmail-autoauth-mcp', version: '1.1.11', env: {GMAIL_OAUTH_PATH: '{work}/gcp-oauth.keys.json', GMAIL_CREDENTIALS_PATH: '{work}/credentials.json'},
    files: {'gcp-oauth.keys.json': JSON.stringify({installed: {client_id: 'dummy.apps.example.invalid', client_secret: dummy(), redirect_uris: ['http://localhost']}}),
      'credentials.json': JSON.stringify({access_token: dummy(), refresh_token: dummy(), token_type: 'Bearer', expiry_date: 0})}},
  {name: 'datadog', pkg: '@winor30/mcp-server-datadog', version: '1.8.0', env: {DATADOG_API_KEY: dummy(), DATADOG_APP_KEY: dummy(), DATADOG_SITE: 'datadoghq.com'}},
  // Three of its services, as its README advises: all of them are 353 tools.
  {name: 'digitalocean', pkg: '@digitalocean/mcp', version: '1.0.70', args: ['--services', 'apps,droplets,databases'], env: {DIGITALOCEAN_API_TOKEN: dummy()}},
  {name: 'postman', pkg: '@postman/postman-mcp-server', version: '2.13.0', env: {POSTMAN_API_KEY: dummy()}},
  {name: 'browserstack', pkg: '@browserstack/mcp-server', version: '1.4.2', env: {BROWSERSTACK_USERNAME: 'nobody', BROWSERSTACK_ACCESS_KEY: dummy()}},
  {name: 'gdrive', pkg: '@isaacphi/mcp-gdrive', version: '0.2.0', env: {CLIENT_ID: 'dummy.apps.example.invalid', CLIENT_SECRET: dummy(), GDRIVE_CREDS_DIR: '{work}'}},
  {name: 'astra-db', pkg: '@datastax/astra-db-mcp', version: '1.2.2', env: {ASTRA_DB_APPLICATION_TOKEN: dummy(), ASTRA_DB_API_ENDPOINT: 'https://astra.invalid'}},
  {name: 'monday', pkg: '@mondaydotcomorg/monday-api-mcp', version: '3.3.0', args: ['-t', dummy()]},
  {name: 'terraform', pkg: 'terraform-mcp-server', version: '0.13.0'},
  {name: 'discord', pkg: 'mcp-discord', version: '1.3.4', env: {DISCORD_TOKEN: dummy()}},
  {name: 'cloudinary', pkg: '@cloudinary/asset-management-mcp', version: '0.11.0', args: ['start']},
  {name: 'paddle', pkg: '@paddle/paddle-mcp', version: '0.1.6', env: {PADDLE_API_KEY: dummy(), PADDLE_ENVIRONMENT: 'sandbox'}},
  {name: 'weather', pkg: '@h1deya/mcp-server-weather', version: '0.1.3'},
];
/**
 * A fourth batch of servers the ranker was never developed against (bench/fixtures/tools-unseen4/),
 * with its own blind queries. Never used by bench/serve.
 */
export const UNSEEN4_SERVERS = [
  {name: 'sonarqube', pkg: 'sonarqube-mcp-server', version: '1.10.21', env: {SONARQUBE_TOKEN: dummy(), SONARQUBE_URL: 'https://sonarqube.invalid'}},
  {name: 'neo4j', pkg: '@alanse/mcp-neo4j-server', version: '0.2.0', env: {NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: dummy()}},
  {name: 'miro', pkg: '@k-jarzyna/mcp-miro', version: '1.0.11', env: {MIRO_ACCESS_TOKEN: dummy()}},
  {name: 'webflow', pkg: 'webflow-mcp-server', version: '1.0.0', env: {WEBFLOW_TOKEN: dummy()}},
  {name: 'huggingface', pkg: '@llmindset/hf-mcp-server', version: '0.4.23', env: {DEFAULT_HF_TOKEN: dummy()}},
  {name: 'n8n', pkg: 'n8n-mcp', version: '2.87.0', env: {MCP_MODE: 'stdio', LOG_LEVEL: 'error', DISABLE_CONSOLE_OUTPUT: 'true', N8N_API_URL: 'http://127.0.0.1:1', N8N_API_KEY: dummy()}},
  {name: 'argocd', pkg: 'argocd-mcp', version: '0.9.0', args: ['stdio'], env: {ARGOCD_BASE_URL: 'https://argocd.invalid', ARGOCD_API_TOKEN: dummy()}},
  {name: 'chrome-devtools', pkg: 'chrome-devtools-mcp', version: '1.11.0', args: ['--headless', '--isolated']},
  {name: 'bitwarden', pkg: '@bitwarden/mcp-server', version: '2026.7.0', env: {BW_SESSION: dummy(), BW_CLIENT_ID: dummy(), BW_CLIENT_SECRET: dummy()}},
  // Any executable passes its start-up check for a Godot binary; listing tools never runs it.
  {name: 'godot', pkg: '@coding-solo/godot-mcp', version: '0.1.1', env: {GODOT_PATH: '/usr/bin/true'}},
  {name: 'vapi', pkg: '@vapi-ai/mcp-server', version: '0.0.11', env: {VAPI_TOKEN: dummy()}},
];
/**
 * A fifth batch of servers the ranker was never developed against (bench/fixtures/tools-unseen5/),
 * with its own blind queries. Never used by bench/serve.
 */
export const UNSEEN5_SERVERS = [
  {name: 'attio', pkg: 'attio-mcp', version: '1.6.1', env: {ATTIO_API_KEY: dummy(), ATTIO_WORKSPACE_ID: 'dummy-workspace'}},
  {name: 'plane', pkg: '@makeplane/plane-mcp-server', version: '0.1.5', env: {PLANE_API_KEY: dummy(), PLANE_WORKSPACE_SLUG: 'dummy-workspace', PLANE_API_HOST_URL: 'https://plane.invalid'}},
  {name: 'shortcut', pkg: '@shortcut/mcp', version: '0.25.0', env: {SHORTCUT_API_TOKEN: dummy()}},
  {name: 'amap', pkg: '@amap/amap-maps-mcp-server', version: '0.0.8', env: {AMAP_MAPS_API_KEY: dummy()}},
  {name: 'perplexity', pkg: '@perplexity-ai/mcp-server', version: '1.2.1', env: {PERPLEXITY_API_KEY: dummy()}},
  {name: 'glean', pkg: '@gleanwork/local-mcp-server', version: '0.7.6', env: {GLEAN_INSTANCE: 'dummy', GLEAN_API_TOKEN: dummy()}},
  {name: 'antv-chart', pkg: '@antv/mcp-server-chart', version: '0.9.10'},
  {name: 'currents', pkg: '@currents/mcp', version: '2.1.1', env: {CURRENTS_API_KEY: dummy()}},
  // Kept whole: it lists 125 tools and has no flag to enable a subset.
  {name: 'mailtrap', pkg: 'mcp-mailtrap', version: '0.9.0', env: {MAILTRAP_API_TOKEN: dummy(), DEFAULT_FROM_EMAIL: 'nobody@example.invalid', MAILTRAP_ACCOUNT_ID: '1', MAILTRAP_TEST_INBOX_ID: '1'}},
  {name: 'vonage', pkg: '@vonage/vonage-mcp-server-api-bindings', version: '1.4.0',
    env: {VONAGE_APPLICATION_ID: 'dummy-application', VONAGE_PRIVATE_KEY64: dummy(), VONAGE_API_KEY: 'dummy', VONAGE_API_SECRET: dummy(), VONAGE_VIRTUAL_NUMBER: '15550000000', VONAGE_WHATSAPP_NUMBER: '15550000000'}},
];
// Unseen5 candidates tried and left out (2026-11):
// @commercetools/mcp-essentials 2.4.2 (its only version): depends on @commercetools/checkout-sdk@^1.0.0,
// which is not published.
// @niledatabase/nile-mcp-server 1.4.0: declares no bin.
// Engines need Node 22: @smartbear/mcp (its latest version; older ones not checked), dataforseo-mcp-server 3.1.1.
// Not on npm: @octopusdeploy/mcp-server, @burtthecoder/mcp-virustotal, @burtthecoder/mcp-shodan,
// @tomtom-org/tomtom-mcp, @clicksend/clicksend-mcp-server, @geocoding-ai/mcp, @mailgun/mcp-server,
// @adyen/mcp, @readwise/readwise-mcp, @coinstats/coinstats-mcp, @cyanheads/clinicaltrialsgov-mcp-server,
// @cyanheads/ntfy-mcp-server, pinata-mcp, @contentstack/mcp, @kontent-ai/mcp-server,
// @programcomputer/nasa-mcp-server, @socketsecurity/mcp, @dodopayments/mcp.
// Not tried: @llamaindex/mcp-server-llamacloud 0.1.3 (its tools are named after the indexes it is
// given), @googlemaps/code-assist-mcp 0.2.1 (a second Google Maps server).
// Recorded but left out: @baidumap/mcp-server-baidu-map 1.0.5 (10 tools, a second Chinese map service
// named like amap's).
// Unseen4 candidates tried and left out (2026-11):
// @auth0/auth0-mcp-server 0.1.0-beta.19: closes the connection before tools/list without a stored login.
// @doist/todoist-ai 9.0.0: depends on @doist/todoist-mcp@^9.0.0, which is not published.
// Engines need Node 22: @confluentinc/mcp-confluent 1.5.0.
// Not on npm: @coinpaprika/dexpaprika-mcp, @mcpdotdirect/evm-mcp-server.
// Kept whole: @k-jarzyna/mcp-miro 1.0.11 lists 97 tools and has no flag to enable a subset.
// Unseen3 candidates tried and left out (2026-11):
// @stripe/mcp 0.3.3: a proxy to mcp.stripe.com, lists nothing offline (times out).
// @gongrzhe/server-redis-mcp 1.0.0: exits when it cannot reach Redis.
// @salesforce/mcp 0.30.15: crashes at startup without a Salesforce org (TypeError ... 'bind').
// @sanity/mcp-server 0.12.2: declares no bin.
// @coingecko/coingecko-mcp 8.2.0: depends on a GitHub tarball (jq-web), not installable from npm alone.
// mcp-sqlite 1.0.9: sqlite3 has no native binding with install scripts off.
// @vercel/sdk 1.28.35: declares no bin.
// Not on npm: @aashari/mcp-server-atlassian-confluence, @pulumi/mcp-server, @kaliaboi/mcp-zotero,
// @chaindead/telegram-mcp, @motherduck/mcp-server, @wix/mcp, @kintone/mcp-server, mcp-server-home-assistant.
// Engines need Node 24: @cyanheads/pubmed-mcp-server.
// Recorded but left out: @openbnb/mcp-server-airbnb 0.3.0 (two tools; the batch had 14 servers).
// Unseen2 candidates tried and left out (2026-11):
// @executeautomation/database-server 1.1.0: sqlite3 has no native binding with install scripts off.
// @dynatrace-oss/dynatrace-mcp-server 2.1.2: its bundled undici needs a newer Node than 20 at startup.
// @21st-dev/magic 0.2.3: fetches its tool list from 21st.dev before answering tools/list.
// Engines need Node 22: @mapbox/mcp-server, @neondatabase/mcp-server-neon, @apify/actors-mcp-server,
// @agentdeskai/browser-tools-mcp, @mastra/mcp-docs-server, @line/line-bot-mcp-server, @bytebase/dbhub.
// Not on npm: @raygun.io/mcp-server-raygun, @abhiz123/todoist-mcp-server, @zilliz/mcp-server-milvus,
// @contentful/mcp-server, @chargebee/mcp, @hyperbrowser/mcp, @e2b/mcp-server, @paypal/mcp,
// @taazkareem/clickup-mcp-server, @greirson/mcp-todoist.
// Recorded but left out to keep the batch varied: @mondaydotcomorg/monday-api-mcp 3.3.0 (92 tools, a
// fourth project tracker), @browsermcp/mcp 0.1.3 and @mzxrai/mcp-webresearch 0.1.7 (browser tools
// named like playwright's), mcp-server-code-runner 0.1.8 (one tool).
// Unseen candidates tried and left out (2026-11), all closing the connection before tools/list
// with dummy settings: server-gdrive, @heroku/mcp-server, @cloudflare/mcp-server-cloudflare,
// @upstash/mcp-server, @railway/mcp-server, mcp-server-sqlite-npx, @benborla29/mcp-server-mysql,
// @twilio-alpha/mcp, docker-mcp.
// Tried and left out (2026-11): server-redis 2025.4.25 and @azure-devops/mcp 2.10.0 exit when they
// cannot reach their backend; @supabase/mcp-server-supabase 0.13.0 fetches from its API to list
// tools; @stripe/mcp 0.3.3 timed out; firecrawl-mcp and @sentry/mcp-server need Node 22.

/** Settings that keep npm and the servers from downloading browsers. */
const NO_BROWSER_DOWNLOADS = {PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1'};

/**
 * The folder installed servers are kept in, one sub-folder per package@version:
 * $MCPX_BENCH_SERVERS if set, else $XDG_CACHE_HOME/mcpx-bench/servers, else
 * <os tmpdir>/mcpx-bench-servers.
 */
export function serversCacheDir(env = process.env) {
  if (env.MCPX_BENCH_SERVERS) return path.resolve(env.MCPX_BENCH_SERVERS);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'mcpx-bench', 'servers');
  return path.join(os.tmpdir(), 'mcpx-bench-servers');
}

const COMPLETE = '.mcpx-bench-complete';

/**
 * Install `server` (its pinned package@version, scripts off) into the cache unless a complete
 * install is already there; resolves the install prefix. A partial install never counts: npm
 * installs into a temp sibling that is renamed into place only after it succeeded. Rejects with
 * npm's exit status (its errors go to this process's stderr) or on a 5-minute timeout.
 */
export async function installServer(server, {cacheDir = serversCacheDir()} = {}) {
  const prefix = path.join(cacheDir, `${server.pkg.replace('/', '+')}@${server.version}`);
  if (fs.existsSync(path.join(prefix, COMPLETE))) return prefix;
  fs.mkdirSync(cacheDir, {recursive: true});
  const staging = fs.mkdtempSync(`${prefix}.tmp-`);
  try {
    // npm runs with the user's own environment (its registry and cache settings); no scripts.
    const status = await new Promise((resolve, reject) => {
      const child = spawn('npm', ['install', '--prefix', staging, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `${server.pkg}@${server.version}`], {
        env: {...process.env, ...NO_BROWSER_DOWNLOADS},
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 300_000,
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? signal));
    });
    if (status !== 0) throw new Error(`npm install ${server.pkg}@${server.version} failed (${status})`);
    binPath(staging, server.pkg); // fails now, not at launch, if the package has no bin
    fs.writeFileSync(path.join(staging, COMPLETE), new Date().toISOString() + '\n');
    try {
      fs.renameSync(staging, prefix);
    } catch (error) {
      // Another run finished the same install first: use theirs.
      if (!fs.existsSync(path.join(prefix, COMPLETE))) throw error;
    }
    return prefix;
  } finally {
    fs.rmSync(staging, {recursive: true, force: true});
  }
}

/**
 * Install every server (a few at a time); resolves a Map name -> {prefix} or {error: message}.
 * Never rejects: a failed install is reported per server.
 */
export async function installServers(servers, {cacheDir = serversCacheDir(), concurrency = 4} = {}) {
  const out = new Map();
  const queue = [...servers];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      try {
        out.set(s.name, {prefix: await installServer(s, {cacheDir})});
      } catch (error) {
        out.set(s.name, {error: error instanceof Error ? error.message : String(error)});
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, queue.length)}, worker));
  return out;
}

/** The file a package's (first) bin points at, inside an install prefix. Throws if it has none. */
export function binPath(prefix, pkg) {
  const dir = path.join(prefix, 'node_modules', pkg);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (!bin) throw new Error(`${pkg} declares no bin`);
  return path.join(dir, bin);
}

/**
 * How to start an installed server over stdio: {command, args, env, cwd}, with `{work}` replaced
 * by `work` (created if missing; the server's HOME and cwd). The env is minimal: PATH, HOME, the
 * no-browser-download settings and the server's dummy credentials. The server's `files` (name ->
 * content) are written into `work` first, for servers that refuse to start without a settings file.
 */
export function launchSpec(server, prefix, work) {
  fs.mkdirSync(work, {recursive: true});
  for (const [name, content] of Object.entries(server.files ?? {})) fs.writeFileSync(path.join(work, name), content, {mode: 0o600});
  const fill = (v) => v.replaceAll('{work}', work);
  const env = {PATH: process.env.PATH ?? '', HOME: work, ...NO_BROWSER_DOWNLOADS};
  for (const [k, v] of Object.entries(server.env ?? {})) env[k] = fill(v);
  return {command: process.execPath, args: [binPath(prefix, server.pkg), ...(server.args ?? []).map(fill)], env, cwd: work};
}

/** Accepts any result: real servers' schemas do not always pass the SDK's strict validation (e.g. server-gitlab omits `type: "object"`). */
const anyResult = {safeParse: (data) => ({success: true, data})};

/**
 * Every tool of a connected SDK `Client`, following nextCursor; also the raw pages as a client
 * receives them (for byte counts). Rejects on a request error or timeout.
 */
export async function listAllTools(client, {timeout = 60_000} = {}) {
  const tools = [];
  const pages = [];
  let cursor;
  do {
    const page = await client.request({method: 'tools/list', params: cursor ? {cursor} : {}}, anyResult, {timeout});
    pages.push(page);
    tools.push(...(page.tools ?? []));
    cursor = page.nextCursor;
  } while (cursor);
  return {tools, pages};
}
