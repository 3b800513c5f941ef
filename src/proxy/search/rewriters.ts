/**
 * Query analysis of tool search, step one: rewriters and implications, each named, documented and
 * shown by examples (test/unit/search-rewriters.test.ts runs every example).
 *
 * A rewriter replaces phrasings by the words tools use before the query is tokenised ("look up" ->
 * search) and values by what their shape says (a URL -> url, `PROJ-12` -> issue id), so a value's
 * words stop acting as intent words. They run in the order listed: later ones see earlier ones'
 * output (values last). An implication adds words a phrasing implies ("how many" -> count) at a
 * reduced weight; the query keeps its own words. Only these two tables hold English phrasing;
 * single words are data (data/english.json).
 */

/** A named step of query rewriting: its rules run in order, each a global replace. */
export interface Rewriter {
  readonly name: string;
  /** What it does and why, in one or two sentences. */
  readonly about: string;
  readonly rules: readonly (readonly [RegExp, string])[];
  /** Input and the rewriter's output for it (this rewriter alone). */
  readonly examples: readonly (readonly [string, string])[];
}

/** A named phrasing that implies words: when any of its patterns matches the lowercased query. */
export interface Implication {
  readonly name: string;
  readonly about: string;
  readonly rules: readonly (readonly [RegExp, string])[];
  /** Input and the words it implies ('' for none). */
  readonly examples: readonly (readonly [string, string])[];
}

export const REWRITERS: readonly Rewriter[] = [
  {
    name: "phrasal-verbs-of-finding",
    about: "Phrasal verbs by the one word tools use: \"look up\" and \"look for\" search, \"set up\" creates, \"add up\" sums, \"pull ... out\" extracts, \"pull up\" shows, \"pull\" before an object fetches.",
    rules: [
      [/\blook(s|ed|ing)?\s+up\b/gi, 'search'],
      [/\bset(s|ting)?\s+up\b/gi, 'create'],
      [/\badd(s|ed|ing)?\s+up\b/gi, 'sum'],
      [/\bpull(s|ed|ing)?\s+((?:\w+\s+){0,4}?)out\b/gi, 'extract $2'],
      [/\blook(s|ed|ing)?\s+for\b/gi, 'search'],
      // "pull up" shows; "pull" on its own takes something in (not a pull request).
      [/\bpull(s|ed|ing)?\s+up\b/gi, 'show'],
      [/\bpull(s|ing)?\b(?!\s+(requests?|reqs?)\b)(?=\s+(the|a|an|all|this|that|its|their|my|down)\b)/gi, 'fetch'],
    ],
    examples: [["look up the weather in Paris", "search the weather in Paris"], ["set up a new repo", "create a new repo"], ["pull the latest logs", "fetch the latest logs"], ["pull the emails out of the page", "extract the emails  of the page"]],
  },
  {
    name: "phrasal-verbs-of-removal",
    about: "\"tear down\", \"wipe out\" clean up; \"shut down\" closes; \"get rid of\" removes.",
    rules: [
      // Phrasal verbs of removal.
      [/\b(tear|tore|torn|wipe|wiped)\s+(down|out)\b/gi, 'cleanup'],
      [/\bshut(s|ting)?\s+(down|off)\b/gi, 'close'],
      [/\bget(ting)?\s+rid\s+of\b/gi, 'remove'],
    ],
    examples: [["tear down the staging cluster", "cleanup the staging cluster"], ["shut down the browser", "close the browser"], ["get rid of old branches", "remove old branches"]],
  },
  {
    name: "open-a-file-reads",
    about: "`open` before a file name or a path reads it (open an issue still creates).",
    rules: [
      // `open` (an issue, a PR, a page, a state) reads when its object is a file name or a path.
      [/\bopen(?=\s+(?:(?:the|my|this|that)\s+)?(?:file\s+)?(?:[~.]?\/[\w.\/-]+|[\w.\/-]*\w\.[a-z][a-z0-9]{0,4}\b))/gi, 'read'],
    ],
    examples: [["open ./notes.md", "read ./notes.md"], ["open the file src/app.ts", "read the file src/app.ts"], ["open an issue", "open an issue"]],
  },
  {
    name: "pointer-phrasings",
    about: "Pressing a button clicks it; moving the mouse over something hovers.",
    rules: [
      // Pointer phrasings: "press the submit button" clicks it, "move the mouse over" hovers.
      [/\b(press|push|hit|tap)(es|ed|ing)?\s+(?=(?:the|a|an|that|this)\s+(?:[\w'-]+\s+){0,2}button\b)/gi, 'click '],
      [/\bmov(e|es|ed|ing)\s+(the\s+)?(mouse|cursor|pointer)\b/gi, 'hover'],
      [/\b(?:mouse|cursor|pointer)\s+(?:is|was|goes|stays|sits|rests)\s+(?:over|on)\b/gi, 'hover'],
    ],
    examples: [["press the submit button", "click the submit button"], ["move the mouse over the menu", "hover over the menu"], ["the cursor is over the link", "the hover the link"]],
  },
  {
    name: "space-and-time-idioms",
    about: "\"taking up space\" uses it, \"disk usage\" is a storage size, \"how long does it take\" is not taking.",
    rules: [
      // "taking up space" occupies it; "disk usage" is the space used.
      [/\b(?:take|takes|taking|took|taken)\s+up\b/gi, 'use'],
      [/\bdisk\s+usage\b/gi, 'storage size'],
      // "how long does it take" is not about taking a screenshot.
      [/\bit\s+(take|takes|took)\b/gi, ''],
    ],
    examples: [["what is taking up space", "what is use space"], ["show disk usage", "show storage size"], ["how long does it take to build", "how long does  to build"]],
  },
  {
    name: "meetings",
    about: "A one-on-one is a meeting; cancelling a meeting deletes the event.",
    rules: [
      // A one-on-one is a meeting, and cancelling a meeting deletes the event.
      [/\b(?:1:1|one-on-one|1-on-1)s?\b/gi, 'meeting'],
      [/\bcancel(s|led|ed|ling|ing)?\b(?=\s+(?:(?:my|the|our|this|that|a|an|tomorrow's|today's)\s+)?(?:\w+\s+)?(?:meetings?|events?|appointments?|calls?|bookings?|syncs?|standups?)\b)/gi, 'cancel delete'],
    ],
    examples: [["schedule a 1:1 with Ana", "schedule a meeting with Ana"], ["cancel my standup tomorrow", "cancel delete my standup tomorrow"]],
  },
  {
    name: "take-away-give-back",
    about: "\"kick ... off/out\" and \"take ... off\" remove, \"bring ... back\" restores, \"open ... again\" reopens.",
    rules: [
      // Phrasal verbs of taking away and giving back: "kick Bob off the board", "take the label off
      // the note" remove (not "kick off the build", which starts it); "bring the entry back"
      // restores (not "bring back the results"); "open the issue again" reopens it.
      [/\bkick(?:s|ed|ing)?\s+((?:[\w'-]+\s+){1,3}?)(?:out\b|off\s+(?=(?:the|this|that|our|my|your|their|of|from)\b))/gi, 'remove $1'],
      [/\b(?:take|takes|taking|took)\s+((?:[\w'"-]+\s+){1,4}?)off\s+(?=(?:the|this|that|our|my|your|their|of|from)\b)/gi, 'remove $1'],
      [/\bbr(?:ing|ings|inging|ought)\s+((?:[\w'-]+\s+){1,3}?)back\b/gi, 'restore $1'],
      [/\bopen(s|ed|ing)?\s+((?:[\w'-]+\s+){0,3}?)again\b/gi, 'reopen $2'],
    ],
    examples: [["kick Bob off the board", "remove Bob the board"], ["take the label off the note", "remove the label the note"], ["bring the deleted page back", "restore the deleted page "], ["open the ticket again", "reopen the ticket "]],
  },
  {
    name: "console-messages",
    about: "Errors or messages in a browser console are its console messages.",
    rules: [
      // Errors or messages in a browser's console are its console messages, whatever their language.
      [/\b(?:(?:javascript|js)\s+)?(errors?|warnings?|logs?|messages?|output)\s+(?:in|on|from|of)\s+(?:the\s+)?(?:(?:browser|browser's|devtools|js|javascript)\s+)?console\b/gi, 'console $1 messages'],
    ],
    examples: [["show JavaScript errors in the console", "show console errors messages"]],
  },
  {
    name: "sticky-notes",
    about: "A Post-it is a sticky note.",
    rules: [
      // A Post-it is a sticky note.
      [/\bpost[\s-]?its?\b/gi, 'sticky note'],
    ],
    examples: [["add a post-it to the board", "add a sticky note to the board"]],
  },
  {
    name: "idioms-of-shape",
    about: "A cell range is spreadsheet cells, \"thumbs up\" an emoji reaction, \"looks like\" similar, \"no repeats\" distinct, logging in a login.",
    rules: [
      // A cell range (`A1:D20`) is a range of spreadsheet cells; "thumbs up" an emoji reaction;
      // "looks like" similar; "no repeats" distinct; logging in is a login.
      [/(?<![\w:])[A-Z]{1,2}\d+:[A-Z]{1,2}\d+\b/g, 'spreadsheet range cells'],
      [/\bthumbs?[\s-]?up\b/gi, 'emoji reaction'],
      [/\blook(s|ing)?\s+like\b/gi, 'similar to'],
      [/\b(?:no|without)\s+(?:repeats|duplicates)\b/gi, 'distinct'],
      [/\blog(s|ged|ging)?\s+in(?:to)?\b/gi, 'login'],
    ],
    examples: [["read A1:D20", "read spreadsheet range cells"], ["give it a thumbs up", "give it a emoji reaction"], ["find docs that look like this one", "find docs that similar to this one"], ["list tags with no repeats", "list tags with distinct"], ["log into the portal", "login the portal"]],
  },
  {
    name: "drafts-and-permissions",
    about: "Not sending something keeps it a draft; letting someone edit or view a thing grants a permission.",
    rules: [
      // Not sending something yet keeps it a draft.
      [/\b(?:don'?t|do\s+not|not)\s+send\b[^,.;!?]*|\bwithout\s+sending\b/gi, 'draft'],
      // Letting someone edit or view a thing grants them permission.
      [/\blet\s+(?:my|the|our|your|his|her|their)?\s*\w+\s+(edit|view|see|access|manage)\b/gi, 'permission access $1'],
    ],
    examples: [["write the email but don't send it", "write the email but draft"], ["let my assistant edit the doc", "permission access edit the doc"]],
  },
  {
    name: "imports-and-reports",
    about: "Loading something into a store imports it; P&L is a profit and loss report.",
    rules: [
      // Loading something into a store imports it; "P&L" is a profit and loss report.
      [/\bload(s|ed|ing)?\b(?=[^.;!?]*\binto\b)/gi, 'import'],
      [/\bp\s*&\s*l\b/gi, 'profit and loss'],
    ],
    examples: [["load the csv into the orders table", "import the csv into the orders table"], ["show the P&L for May", "show the profit and loss for May"]],
  },
  {
    name: "reviews",
    about: "Signing off approves; approving or requesting changes is a review; changes as a thing are a diff.",
    rules: [
      // "sign off on" a change approves it.
      [/\bsign(s|ed|ing)?[\s-]+off\b/gi, 'approve'],
      // Changes as a thing ("the changes to src/auth.ts", "what changed in") are a diff.
      [/\b(the|its|their|these|those|my|your|just\s+the|only\s+the)\s+changes\b(?=\s+(?:to|in|of|on|between|since|from)\b)/gi, '$1 diff'],
      // Approving a change or requesting changes to it is reviewing it: the verdicts of a review.
      [/\b(approv(?:e|es|ed|ing))\b(?!\s+review)/gi, '$1 review'],
      [/\brequest(s|ed|ing)?\s+changes\b/gi, 'review'],
    ],
    examples: [["sign off on PR 12", "approve review on PR 12"], ["show the changes to src/auth.ts", "show the diff to src/auth.ts"], ["approve the merge request", "approve review the merge request"], ["request changes on PR 7", "review on PR 7"]],
  },
  {
    name: "leave-and-file",
    about: "A note left on something is a comment; leaving a thing adds it; \"file a bug\" creates one.",
    rules: [
      // A note left on something ("leave a note on the spec page") is a comment on it.
      [/\bleav(e|es|ing)\s+(a|an)\s+(short\s+|quick\s+)?note\s+(on|under)\b/gi, 'add a comment note $4'],
      // "leave a comment/note/review" adds one.
      [/\bleav(e|es|ing)\s+(a|an)\b/gi, 'add $2'],
      // `file` is a noun but for "file a bug": only that verb sense means create.
      [/(^|[^\w.])file\s+(a|an)\b/gi, '$1create $2'],
    ],
    examples: [["leave a note on the spec page", "add a comment note on the spec page"], ["leave a review", "add a review"], ["file a bug about login", "create a bug about login"]],
  },
  {
    name: "go-to",
    about: "\"go to\" navigates.",
    rules: [
      [/\b(go|goes|going|went)\s+to\b/gi, 'navigate to'],
    ],
    examples: [["go to example.org", "navigate to example.org"]],
  },
  {
    name: "questions-of-measure",
    about: "\"how long\" asks for a duration, \"how far\" for a distance.",
    rules: [
      // Questions of measure: "how long" asks for a duration, "how far" for a distance.
      [/\bhow\s+long\b/gi, 'duration'],
      [/\bhow\s+far\b/gi, 'distance'],
    ],
    examples: [["how long is the drive", "duration is the drive"], ["how far is Lyon from Paris", "distance is Lyon from Paris"]],
  },
  {
    name: "sql-statements",
    about: "A SQL statement is a SQL query, whatever its words.",
    rules: [
      // A SQL statement is a SQL query, whatever its words (`select count(*) from users`).
      [/\bselect\s+(?:\*|count\s*\(\s*\*?\s*\)|[\w.]+(?:\s*,\s*[\w.]+)*)\s+from\s+(?!(?:the|a|an|this|that|my|our|your)\b)[\w."]+/gi, 'sql query'],
    ],
    examples: [["run select count(*) from users", "run sql query"]],
  },
  {
    name: "close-reopen-updates",
    about: "Closing or reopening an issue or a pull request updates its state, with or without a product or repository named before it.",
    rules: [
      // Closing or reopening an issue or a pull request changes its state: an update.
      [/\b(close|closes|closed|closing|reopen|reopens|reopened)\s+((?:the|this|that|an?|my|our)\s+)?(issues?|prs?|pull requests?|tickets?|bugs?|mrs?|merge requests?)\b/gi, 'update $2$3'],
      // The same with a product or repository named before the thing ("close GitLab issue 18").
      [/\b([Cc]los(?:e|es|ed|ing)|[Rr]eopen(?:s|ed)?)\s+((?:[A-Z][\w-]*|[\w-]+\/[\w.-]+)\s+)(issues?|PRs?|prs?|pull requests?|tickets?|bugs?|MRs?|mrs?|merge requests?)\b/g, 'update $2$3'],
    ],
    examples: [["close issue 12", "update issue 12"], ["Reopen GitLab issue 18", "update GitLab issue 18"]],
  },
  {
    name: "emoji-codes",
    about: "An emoji code is an emoji, whatever its words.",
    rules: [
      // An emoji code (`:white_check_mark:`, `:+1:`) is an emoji, whatever its words.
      [/(^|\s):[a-z0-9_+-]+:(?=[\s,.;!?)]|$)/gi, '$1emoji'],
    ],
    examples: [["react with :white_check_mark:", "react with emoji"]],
  },
  {
    name: "sums",
    about: "Adding numbers sums them, it creates nothing.",
    rules: [
      // Adding numbers sums them ("add 17 and 25"), it does not create anything.
      [/\badd(s|ed|ing)?\s+(-?\d+(?:\.\d+)?)\s+(and|to|plus)\s+(-?\d+(?:\.\d+)?)\b/gi, 'sum $2 and $4'],
      [/(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:\+|\bplus\b)\s*(-?\d+(?:\.\d+)?)(?![\w.])/gi, 'sum $1 and $2'],
    ],
    examples: [["add 17 and 25", "sum 17 and 25"], ["what is 17 + 25", "what is sum 17 and 25"]],
  },
  {
    name: "backticked-commands",
    about: "A command in backticks after run or execute is a command.",
    rules: [
      // A command in backticks after run/execute is a command, whatever its words (`npm test`).
      [/\b(run|runs|running|execute|executes|exec)\s+`[^`]+`/gi, '$1 command'],
    ],
    examples: [["run `npm test` in the repo", "run command in the repo"]],
  },
  {
    name: "issue-keys",
    about: "An issue key names an issue; giving one to someone assigns it.",
    rules: [
      // An issue key (`PROJ-1423`, `ENG-42`: Jira, Linear, YouTrack) names an issue.
      [/(?<![\w./-])[A-Z][A-Z0-9]{1,9}-\d+\b(?![\w./-])/g, 'issue id'],
      // Giving an issue, a ticket or a task to someone assigns it ("give ENG-88 to Priya").
      [/\b(?:give|gives|gave|giving)\s+((?:the|this|that|an?)\s+)?((?:issue\s+)?id|issues?|tickets?|tasks?|bugs?|stor(?:y|ies)|cards?|items?)(?:\s+id)?\s+(?:over\s+)?to\b/gi, 'assign $1$2 to'],
    ],
    examples: [["close PROJ-1423", "close issue id"], ["give ENG-88 to Priya", "assign issue id to Priya"]],
  },
  {
    name: "repository-references",
    about: "`owner/name#12` is an issue or pull request of a repository; `owner/name` before pull, PR, issue or MR a repository.",
    rules: [
      // `owner/name#123` names an issue or pull request of a repository; `owner/name` followed by
      // pull, PR, issue or MR, a repository.
      [/(?<![\w./~-])[\w.-]+\/[\w.-]+#\d+\b/g, 'repository number'],
      [/(?<![\w./~-])[a-z][\w.-]*\/[\w.-]+(?=\s+(?:pull|prs?|issues?|mrs?|merge)\b)/gi, 'repository'],
    ],
    examples: [["review acme/api#12", "review repository number"], ["acme/api pull requests", "repository pull requests"]],
  },
  {
    name: "key-presses",
    about: "A key pressed by name or a modifier chord is a key press, whatever the key's name means as a word.",
    rules: [
      // A key pressed by name ("hit Escape", "press the down arrow", `Ctrl+K`) is a key press,
      // whatever the key's name means as a word (enter, return, tab, home, end, delete).
      [/\b(press|hit|tap)(es|ed|ing)?\s+(?:the\s+)?(?:escape|esc|enter|return|tab|backspace|delete|del|space|spacebar|home|end|insert|page\s?(?:up|down)|arrow\s?(?:up|down|left|right)|(?:up|down|left|right)(?:\s+arrow)?|f\d{1,2})\b(?:\s+key)?/gi, 'press key'],
      [/(?<![\w+])(?:ctrl|control|cmd|command|alt|option|shift|meta)\s*\+\s*(?:(?:ctrl|control|cmd|command|alt|option|shift|meta)\s*\+\s*)*\w+\b/gi, 'press key'],
    ],
    examples: [["hit Escape", "press key"], ["press Ctrl+Shift+P", "press press key"]],
  },
  {
    name: "measured-values",
    about: "A size written as width x height, a telephone number, a latency percentile.",
    rules: [
      // A size written as width x height (`375x812`, `1920×1080`) gives a width and a height.
      [/\b\d{2,5}\s*[x×]\s*\d{2,5}(?:\s*px)?\b/gi, 'width height size'],
      // A telephone number (`+1 555 0100`, `(555) 010-0199`, `555-010-0199`) is a phone number; a
      // range of years (`2023-2024`) is not.
      [/(?<![\w+])(?:\+\d{1,3}(?:[\s.-]?\d{1,4}){2,4}|\(\d{2,4}\)\s?\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w.])/g, 'phone number'],
      // A latency percentile (`p95`, `p99.9`) is a metric.
      [/\bp(?:50|75|90|95|99|999|99\.9)\b/gi, 'percentile metric'],
    ],
    examples: [["resize to 375x812", "resize to width height size"], ["call +1 555 010 0199", "call phone number"], ["p95 of the checkout API", "percentile metric of the checkout API"]],
  },
  {
    name: "cypher-statements",
    about: "A Cypher statement is a graph query, whatever its words.",
    rules: [
      // A Cypher statement (`MATCH (n) RETURN n`) is a graph query, whatever its words.
      [/\bmatch\s*\(.*?\breturn\b[^,;]*/gi, 'cypher query'],
    ],
    examples: [["run MATCH (n:Person) RETURN n", "run cypher query"]],
  },
  {
    name: "local-ports",
    about: "A local address with a port is a port.",
    rules: [
      // A local address with a port (`localhost:5432`, `127.0.0.1:8080`) is a port.
      [/(?<![\w./:-])(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):\d{1,5}\b(?![\w./-])/gi, 'localhost port'],
    ],
    examples: [["forward localhost:5432", "forward localhost port"]],
  },
  {
    name: "urls",
    about: "A URL or a bare domain is a link, whatever words its host and path hold.",
    rules: [
      // Values are not intents. A URL says "a link", whatever words its host and path hold.
      [/\b(?:https?|ftp|wss?):\/\/\S+/gi, 'url'],
      [/(^|\s)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|ai|co|edu|gov|app)(?:\/\S*)?(?=[\s,.;:!?)]|$)/gi, '$1url'],
    ],
    examples: [["fetch https://example.com/news/today", "fetch url"], ["crawl example.org/docs", "crawl url"]],
  },
  {
    name: "open-closed-state",
    about: "`open` or `closed` after the first words of a clause is a state to filter on, not the verb.",
    rules: [
      // `open`/`closed` as a state ("open issues", "PRs that are open") filters on state; only first
      // in a clause is `open` the verb. "open source" is a word of its own.
      [/(?<!^\s*|\b(?:and|then|to|please|,)\s+)\b(open|closed)\b(?!\s+(?:a|an|the|up|source)\b)/gi, ''],
    ],
    examples: [["list open issues", "list  issues"]],
  },
  {
    name: "names-after-called",
    about: "What follows called, named or titled is a name, a value.",
    rules: [
      // What follows "called/named/titled" is a name, a value: "a database called Reading List".
      [/\b(called|named|titled)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*/g, '$1'],
    ],
    examples: [["create a database called Reading List", "create a database called"]],
  },
  {
    name: "places",
    about: "A pair of decimal numbers is a position; lat/lng are latitude and longitude; a radius says nearby.",
    rules: [
      // A pair of decimal numbers is a position: "what is at 48.8584, 2.2945".
      [/-?\b\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+\b/g, 'coordinates'],
      [/\blat(itude)?\s*\/\s*(long|lng|lon)(gitude)?\b/gi, 'latitude longitude'],
      // A radius ("within 2 km") says "nearby", not a distance to compute.
      [/\bwithin\s+\d+(\.\d+)?\s*(km|kilometers?|kilometres?|mi|miles?|m|meters?|metres?|blocks?|minutes?)\b/gi, 'nearby'],
    ],
    examples: [["what is at 48.8584, 2.2945", "what is at coordinates"], ["convert lat/lng to an address", "convert latitude longitude to an address"], ["cafes within 2 km", "cafes nearby"]],
  },
  {
    name: "channels",
    about: "A Slack-style `#name` is a channel; an issue number stays a number.",
    rules: [
      // A Slack-style channel (`#general`) is a channel; an issue number (`#482`) stays a number.
      [/(^|\s)#[a-z][\w-]*/gi, '$1channel'],
    ],
    examples: [["post to #general about #482", "post to channel about #482"]],
  },
  {
    name: "code-in-queries",
    about: "Code in the query (`document.title`) is a script, not words.",
    rules: [
      // Code in the query (`document.title`, `page.getByRole`) is a script, not words.
      [/(^|\s)(?:window|document|page|localStorage|sessionStorage|navigator|console|location)\.[\w.()'"]+/g, '$1javascript'],
    ],
    examples: [["read document.title", "read javascript"]],
  },
  {
    name: "file-values",
    about: "Globs, image, media and other file names and dotfiles say what kind of file they are, not the words they hold.",
    rules: [
      // An image, audio or video file name says what kind of file it is (`logo.png`, `talk.mp3`).
      // A glob (`*.test.ts`, `src/**/*.py`) is a file name pattern to match.
      [/(^|\s)(?=[\w./-]*(\*|\?[\w.]))[\w./*?-]+/g, '$1file pattern'],
      [/(^|\s)[\w./*?-]*[\w*?]\.(png|jpe?g|gif|svg|webp|bmp|ico|tiff?|heic)\b/gi, '$1image file'],
      [/(^|\s)[\w./*?-]*[\w*?]\.(mp3|wav|ogg|flac|m4a|aac|mp4|mov|webm|mkv|avi)\b/gi, '$1media file'],
      // A dotfile (`.env`, `.gitignore`, `.env.example`) is a file name, not the word after its dot.
      [/(^|\s)\.[a-z][\w.-]*(?=[\s,;:!?)]|$)/gi, '$1file'],
      // A file name, path or glob says "a file", not `notes` or `log` (`notes.txt`, `*.log`, `src/*.ts`).
      [/(^|\s)[\w./*?-]*[\w*?]\.(txt|md|json|ya?ml|ts|tsx|js|jsx|mjs|py|rb|go|rs|java|c|h|cpp|csv|log|toml|ini|cfg|conf|env|xml|html?|css|sh|png|jpe?g|gif|svg|webp|pdf|zip|gz|tar|docx?|xlsx?|pptx?|odt|rtf|sql|lock)\b/gi, '$1file'],
    ],
    examples: [["find *.test.ts", "find file pattern"], ["resize logo.png", "resize image file"], ["transcribe talk.mp3", "transcribe media file"], ["edit .env.example", "edit file"], ["read notes.txt", "read file"]],
  },
  {
    name: "paths",
    about: "A path ending in a slash is a directory; another path just a path.",
    rules: [
      // A path ending in a slash (`/var/log/`, `docs/`) is a directory; another path without a file
      // extension (`./docs`, `~/Downloads`, `/etc/hosts`) may be either, so it says only `path`.
      [/(^|\s)(?:(?:\.{1,2}|~)?\/[\w.\/-]*|[\w.-]+)\/(?=[\s,;:!?)]|$)/g, '$1directory'],
      [/(^|\s)(?:\.{1,2}|~)?\/[\w.\/-]*(?=[\s,;:!?)]|$)/g, '$1path'],
    ],
    examples: [["list /var/log/", "list directory"], ["read ~/Downloads", "read path"]],
  },
  {
    name: "repository-after-preposition",
    about: "`owner/name` after a preposition names a repository.",
    rules: [
      // `owner/name` after a preposition ("in facebook/react") names a repository.
      [/\b(in|of|on|to|from|for|against)\s+[\w.-]+\/[\w.-]+(?=[\s,;:!?)]|$)/gi, '$1 repository'],
    ],
    examples: [["search code in facebook/react", "search code in repository"]],
  },
];

export const IMPLICATIONS: readonly Implication[] = [
  {
    name: "counts",
    about: "\"how many\" asks for a count or a listing.",
    rules: [
      [/\bhow many\b/, ' count list '],
    ],
    examples: [["how many pods are running", " count list "]],
  },
  {
    name: "members",
    about: "Who is in or on something asks for its members.",
    rules: [
      // "who is in/on the workspace" asks for its members.
      [/\bwho\s+(is|are|'s)\s+(in|on|part of|a member)\b/, ' user member '],
    ],
    examples: [["who is in the workspace", " user member "]],
  },
  {
    name: "locations",
    about: "\"where is\" asks for a location.",
    rules: [
      [/\bwhere\s+(is|are)\b/, ' location '],
    ],
    examples: [["where is the Louvre", " location "]],
  },
  {
    name: "several",
    about: "Three or more things, or \"at once\", asks for several at a time.",
    rules: [
      // Three or more things, or "at once", asks for several at a time ("two" often names the ends
      // of a relation: "link two entities", "distance between two points").
      [/\b(three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?)\s+(\w+\s+)?\w+s\b|\b(at once|in one go|in bulk)\b/, ' multiple '],
    ],
    examples: [["read these five files at once", " multiple "]],
  },
  {
    name: "listings",
    about: "\"what/which things are/exist/do\" asks for a listing.",
    rules: [
      [/\b(what|which)\s+(\w+\s+){0,2}(are|exist|is there|are there)\b/, ' list '],
      [/\b(what|which)\s+\w+s\s+(do|does)\b/, ' list '],
    ],
    examples: [["which databases exist", " list "], ["what collections does it have", " list "]],
  },
  {
    name: "history",
    about: "Who changed something, or when it changed, is in its history; who last touched a line is a blame.",
    rules: [
      // Who changed something, or when it changed, is in its history.
      [/\bwho\s+(?:changed|flipped|moved|modified|edited|updated|deleted|removed|toggled|turned|switched|set|renamed|closed|reopened)\b|\bwhen\s+did\b.*\b(?:change|move|flip|switch)\b/, ' history audit log '],
      // Who last wrote or touched a line of code is what a blame shows.
      [/\bwho\s+(?:last\s+)?(?:touched|wrote|changed|edited|modified)\b.*\blines?\s+\d+|\bwho\s+(?:last\s+)?(?:touched|wrote)\b/, ' blame history '],
    ],
    examples: [["who changed the flag", " history audit log "], ["who last touched line 120", " blame history "]],
  },
  {
    name: "current-user",
    about: "Which account a token belongs to asks who the caller is.",
    rules: [
      // Which account a token or key belongs to asks who the caller is.
      [/\b(?:which|what|whose)\s+(?:\w+\s+)?(?:account|user|identity|portal|login|workspace)\b.*\b(?:token|key|credentials?)\b|\bwho\s+am\s+i\b|\bwhoami\b|\b(?:which|what)\s+(?:account|user)\s+am\s+i\b|\blogged\s+in\s+as\b/, ' current user viewer self authenticated '],
    ],
    examples: [["which account is this token for", " current user viewer self authenticated "]],
  },
  {
    name: "directions-news-memory",
    about: "Getting from one place to another asks for directions, the latest on a topic for news, what the assistant remembers for its memory.",
    rules: [
      // Getting from one place to another asks for directions; the latest on a topic is news; what
      // the assistant remembers is in its memory.
      [/\b(?:get|go|walk|travel)\s+from\s+\S.*\bto\s+\S/, ' directions route '],
      [/\b(?:latest|news)\s+(?:on|about)\b/, ' news web search '],
      [/\b(?:do|did)\s+you\s+remember\b|\bwhat\s+do\s+you\s+(?:know|remember)\b|\b(?:i|we)\s+told\s+you\b/, ' memory search '],
    ],
    examples: [["get from Paris to Lyon", " directions route "], ["latest on the openssl bug", " news web search "], ["do you remember my address", " memory search "]],
  },
  {
    name: "status-questions",
    about: "A yes-or-no question about a state asks for a status.",
    rules: [
      // "Is the CLI logged in?", "is the server reachable?": a yes-or-no question about a state is a status.
      [/^\s*(?:is|are|am)\s+(?:[\w'-]+\s+){0,5}?(?:login|logged|unlocked|locked|connected|authenticated|running|online|healthy|reachable|alive)\b/, ' status '],
    ],
    examples: [["is the CLI logged in", " status "]],
  },
  {
    name: "git-commands",
    about: "`git log` lists commits, `git diff` compares.",
    rules: [
      // Git's own commands name what they show: `git log` the commits, `git diff` a comparison.
      [/\bgit\s+log\b/, ' list commits '],
      [/\bgit\s+diff\b/, ' compare diff '],
    ],
    examples: [["git log of main", " list commits "], ["git diff HEAD", " compare diff "]],
  },
  {
    name: "orders-and-conditions",
    about: "An order or a condition on values asks for tools that sort and filter.",
    rules: [
      // An order ("sorted by priority", "newest first") and conditions on values ("where Status =
      // Done", "over $50k", "created before 2023") ask for tools that filter and sort.
      [/\b(?:sort(?:ed)?|order(?:ed)?)\s+by\b|\b(?:newest|oldest|latest|earliest|highest|lowest|biggest|largest|smallest)\s+first\b/, ' sort '],
      [/\bwhere\s+\S+\s*(?:=|!=|<|>|\bis\b|\bare\b|\bcontains?\b)|[\w}\]]\s*(?:=|!=|>=|<=)\s*\S|\b(?:over|under|above|below|more than|less than|greater than|at least|at most)\s+\$?\d|\b(?:older|younger|newer|bigger|smaller|larger|higher|lower|cheaper|longer|shorter)\s+than\s+\$?\d|\b(?:before|after|since)\s+(?:\d{4}|yesterday|last|this|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\b/, ' filter '],
    ],
    examples: [["tasks sorted by priority", " sort "], ["deals over $50k", " filter "]],
  },
];

/** `text` through one rewriter's rules. */
export function applyRewriter(rewriter: Rewriter, text: string): string {
  let out = text;
  for (const [pattern, replacement] of rewriter.rules) out = out.replace(pattern, replacement);
  return out;
}

/** `text` through every rewriter, in order. Case is kept: the tokeniser splits camelCase. */
export function rewrite(text: string): string {
  let out = text;
  for (const r of REWRITERS) out = applyRewriter(r, out);
  return out;
}

/** The words one implication adds for `lower` (the lowercased query), '' for none. */
export function implicationWords(implication: Implication, lower: string): string {
  let words = '';
  for (const [pattern, added] of implication.rules) if (pattern.test(lower)) words += added;
  return words;
}

/** The words every implication adds for `lower`, in order. */
export function implied(lower: string): string {
  let words = '';
  for (const i of IMPLICATIONS) words += implicationWords(i, lower);
  return words;
}
