// `--help` for the command line and for each command, with examples. The names are public (SPEC.md).
import type { CommandName } from './arguments';

const NODE_OPTIONS = `Nodes:
  --node <ws-url>          the node's websocket, e.g. ws://127.0.0.1:8882/v1/subscribe; its REST
                           API is derived as in the extension (ws→http, same host, port and prefix)
  --node <name>=<ws-url>   a named node (repeatable; the first is the default; request files'
                           Node: headers name them)              [ws://127.0.0.1:8882/v1/subscribe]
  --api-key-env <VAR>      read the API key from this environment variable (never from a flag)
  --ca-file <pem>          CA or self-signed certificate of a wss:// node
  --simulate               start a simulated node on a free loopback port and use it`;

const EXIT_CODES = `Exit codes:
  0  passed    1  a block failed (send refused, expectation failed, no reply in time)
  2  usage error, or a request file with problems (nothing sent)
  3  no node reachable, or the API key refused    4  stopped by the spend rules`;

const TOP = `Usage: impervious-events <command> [options]

Runs request files (.imp) against an Impervious node, in a terminal or in CI, and follows its
message stream.

Commands:
  run <file|dir|glob>…     run request files; exit code and reports for CI
  tail                     print messages as they arrive
  wait <id>                wait for the reply to a message ID
  send <pubkey> <text|->   send a message (and --wait for its reply)

Options:
  -h, --help               help (also: impervious-events <command> --help)
  -v, --version            the version

${EXIT_CODES}

Colour only on a terminal, and never with NO_COLOR set.`;

const HELP: Record<CommandName, string> = {
  run: `Usage: impervious-events run <file|dir|glob>… [options]

Runs every block of each request file in file order (each after the blocks it references), files
in the order given, and prints one line per block, then "N passed, M failed".

${NODE_OPTIONS}

Run:
  --var <name>=<value>     set a file variable (repeatable; overrides the file's)
  --grep <regex>           run only blocks whose @name or title matches (and what they reference)
  --bail                   stop at the first failed block
  --timeout <duration>     reply timeout of blocks without @timeout, e.g. 10s    [30s]

Spending (never interactive):
  --spend-limit <sats>     what the run may spend; it stops before the send that would pass it [100]
  --allow-reply-amounts    send amounts a reply chose (still within the limit); refused otherwise

Reports:
  --junit <file>           JUnit XML: a testsuite per file, a testcase per block
  --json <file>            every block's result, IDs, latencies and failures
  --reporter github        GitHub Actions annotations at failing blocks (on when GITHUB_ACTIONS=true)

${EXIT_CODES}

Examples:
  impervious-events run requests/ --simulate --junit results.xml
  impervious-events run 'requests/**/*.imp' --node ws://127.0.0.1:8882/v1/subscribe --grep ping
  IMP_KEY=… impervious-events run smoke.imp --node prod=wss://node.example/v1/subscribe --api-key-env IMP_KEY`,
  tail: `Usage: impervious-events tail [options]

Prints each message as it arrives: time, sender, service type, amount, ID, reply ID, a preview.
Peer text is escaped for the terminal. Reconnects after a drop, with the extension's backoff.

${NODE_OPTIONS}

Output:
  --json                   one JSON object per line (NDJSON) with every field: data as base64,
                           and as text when it is text
  --count <n>              stop after n messages
  --for <duration>         stop after this long, e.g. 30s or 5m
  --filter <query>         only messages that match the query (docs/queries.md), e.g.
                           'type:invoice amount>=10' or 'from:02ab OR json.status!=ok';
                           --count counts these

Examples:
  impervious-events tail
  impervious-events tail --json --count 5 | jq -r .text
  impervious-events tail --filter 'is:root -type:ping after:-15m'
  impervious-events tail --simulate --for 10s`,
  wait: `Usage: impervious-events wait <id> [options]

Waits for the reply to a message ID, by the rule of the extension's waitForReply: a message whose
replyToId is the ID (or one that comes back with the ID itself). Prints it and exits 0; exits 1 at
the timeout. The node never replays: start waiting before the reply can arrive.

${NODE_OPTIONS}

Output:
  --timeout <duration>     how long to wait, e.g. 30s                         [30s]
  --json                   the reply as one JSON object

Example:
  id=$(curl -s -X POST localhost:8882/v1/message/send -d "$body" | jq -r .id)
  impervious-events wait "$id" --timeout 30s`,
  send: `Usage: impervious-events send <pubkey> <text|-> [options]

Sends a message through the node's REST API and prints its ID; "-" reads the text from standard
input. The spend limit applies.

${NODE_OPTIONS}

Send:
  --amount <sats>          satoshis to send                     [the node's minimum for the size]
  --reply-to <id>          the message this one answers
  --spend-limit <sats>     refuse to send more than this (exit 4)            [100]
  --wait                   then wait for the reply and print it
  --timeout <duration>     with --wait: how long                              [30s]
  --json                   print {"id":…} (and "reply" with --wait) as JSON

Examples:
  impervious-events send 02ab…ef "ping" --wait --timeout 10s
  echo '{"action":"quote"}' | impervious-events send 02ab…ef - --json`,
};

export function helpText(command?: CommandName): string {
  return command ? HELP[command] : TOP;
}
