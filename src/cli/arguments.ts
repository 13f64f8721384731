// The command line's arguments, read with Node's own `util.parseArgs`: no dependency, strict
// (an unknown option is an error, not a silent no-op), and enough for flags, repeatable options
// and positionals. Each command's options are declared once here; `--help` text lives in help.ts.
import { parseArgs, type ParseArgsConfig } from 'util';
import { isNodePubkey } from '../core/sending/nodePubkey';
import { DEFAULT_NODE, checkSubscribeUrl, type NodeConfig } from '../core/connection/nodeConfig';
import { describeQueryError, parseQuery, type MessageQuery } from '../core/query/query';
import { parseDuration } from '../core/requests/assertionSyntax';
import { DEFAULT_SPEND_LIMIT_SATS } from '../core/requests/spendGuard';
import { UsageError } from './exitCodes';

export type CommandName = 'run' | 'tail' | 'wait' | 'send';
export const COMMANDS: readonly CommandName[] = ['run', 'tail', 'wait', 'send'];

/** How long a block without `@timeout`, `wait` and `send --wait` wait for a reply by default. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Which nodes a command talks to: `--node` (repeatable), `--api-key-env`, `--ca-file`, `--simulate`. */
export interface NodeArguments {
  /** In the order given; the first is the default. Empty with `--simulate`. */
  readonly nodes: readonly NodeConfig[];
  /** The variable the key was read from (never the key's value: it is in `apiKey`). */
  readonly apiKeyEnv?: string;
  readonly apiKey?: string;
  readonly simulate: boolean;
}

export interface RunArguments extends NodeArguments {
  readonly command: 'run';
  readonly targets: readonly string[];
  readonly variables: ReadonlyMap<string, string>;
  readonly grep?: RegExp;
  readonly bail: boolean;
  readonly timeoutMs: number;
  readonly spendLimit: bigint;
  readonly allowReplyAmounts: boolean;
  readonly junit?: string;
  readonly json?: string;
  /** GitHub Actions annotations: `--reporter github`, or `GITHUB_ACTIONS=true`. */
  readonly github: boolean;
}

export interface TailArguments extends NodeArguments {
  readonly command: 'tail';
  readonly json: boolean;
  readonly count?: number;
  readonly forMs?: number;
  /** `--filter`: only messages that match are printed (and counted). */
  readonly filter?: MessageQuery;
}

export interface WaitArguments extends NodeArguments {
  readonly command: 'wait';
  readonly id: string;
  readonly timeoutMs: number;
  readonly json: boolean;
}

export interface SendArguments extends NodeArguments {
  readonly command: 'send';
  readonly pubkey: string;
  /** The text, or `-` for standard input. */
  readonly text: string;
  readonly amount?: bigint;
  readonly replyTo?: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly spendLimit: bigint;
}

export type CommandArguments = RunArguments | TailArguments | WaitArguments | SendArguments;

export type ParsedCommandLine =
  | { readonly kind: 'help'; readonly command?: CommandName }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly args: CommandArguments };

type Options = NonNullable<ParseArgsConfig['options']>;

const NODE_OPTIONS = {
  node: { type: 'string', multiple: true },
  'api-key-env': { type: 'string' },
  'ca-file': { type: 'string' },
  simulate: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

const OPTIONS = {
  run: {
    ...NODE_OPTIONS,
    var: { type: 'string', multiple: true },
    grep: { type: 'string' },
    bail: { type: 'boolean', default: false },
    timeout: { type: 'string' },
    'spend-limit': { type: 'string' },
    'allow-reply-amounts': { type: 'boolean', default: false },
    junit: { type: 'string' },
    json: { type: 'string' },
    reporter: { type: 'string' },
  },
  tail: { ...NODE_OPTIONS, json: { type: 'boolean', default: false }, count: { type: 'string' }, for: { type: 'string' }, filter: { type: 'string' } },
  wait: { ...NODE_OPTIONS, timeout: { type: 'string' }, json: { type: 'boolean', default: false } },
  send: {
    ...NODE_OPTIONS,
    amount: { type: 'string' },
    'reply-to': { type: 'string' },
    wait: { type: 'boolean', default: false },
    timeout: { type: 'string' },
    json: { type: 'boolean', default: false },
    'spend-limit': { type: 'string' },
  },
} as const satisfies Record<CommandName, Options>;

/** Reads the command line (`argv` without node and the script); `env` for `--api-key-env` and `GITHUB_ACTIONS`. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    return { kind: 'help', ...(topic !== undefined && isCommand(topic) ? { command: topic } : {}) };
  }
  if (first === '--version' || first === '-v') {
    return { kind: 'version' };
  }
  if (!isCommand(first)) {
    throw new UsageError(first.startsWith('-') ? `"${first}" comes after a command: run, tail, wait or send.` : `Unknown command "${first}": use run, tail, wait or send.`);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS[first], strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${first}: ${(error as Error).message}`);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values.help === true) {
    return { kind: 'help', command: first };
  }
  const positionals = parsed.positionals;
  const nodes = nodeArguments(first, values, env);
  switch (first) {
    case 'run':
      return { kind: 'command', args: runArguments(positionals, values, nodes, env) };
    case 'tail':
      positionalCount('tail', positionals, 0, 'takes no arguments, only options');
      return {
        kind: 'command',
        args: {
          command: 'tail',
          ...nodes,
          json: values.json === true,
          ...(typeof values.count === 'string' ? { count: wholeNumber('--count', values.count, 1) } : {}),
          ...(typeof values.for === 'string' ? { forMs: duration('--for', values.for) } : {}),
          ...(typeof values.filter === 'string' ? { filter: query('--filter', values.filter) } : {}),
        },
      };
    case 'wait': {
      positionalCount('wait', positionals, 1, 'takes one message ID: impervious-events wait <id>');
      const id = positionals[0]!.trim();
      if (id === '') {
        throw new UsageError('wait: the message ID is empty.');
      }
      return { kind: 'command', args: { command: 'wait', ...nodes, id, timeoutMs: timeout(values), json: values.json === true } };
    }
    case 'send': {
      positionalCount('send', positionals, 2, 'takes a pubkey and a text (or - for standard input): impervious-events send <pubkey> <text|->');
      const pubkey = positionals[0]!.trim();
      if (!isNodePubkey(pubkey) && !pubkey.startsWith('did:')) {
        throw new UsageError(`send: "${pubkey.slice(0, 80)}" is not a node pubkey (66 hex digits) or a DID.`);
      }
      return {
        kind: 'command',
        args: {
          command: 'send',
          ...nodes,
          pubkey,
          text: positionals[1]!,
          ...(typeof values.amount === 'string' ? { amount: sats('--amount', values.amount, 1n) } : {}),
          ...(typeof values['reply-to'] === 'string' ? { replyTo: values['reply-to'].trim() } : {}),
          wait: values.wait === true,
          timeoutMs: timeout(values),
          json: values.json === true,
          spendLimit: spendLimit(values),
        },
      };
    }
  }
}

function runArguments(positionals: readonly string[], values: Record<string, string | string[] | boolean | undefined>, nodes: NodeArguments, env: NodeJS.ProcessEnv): RunArguments {
  if (positionals.length === 0) {
    throw new UsageError('run: name at least one request file, folder or glob, e.g. impervious-events run requests/');
  }
  const variables = new Map<string, string>();
  for (const assignment of (values.var as string[] | undefined) ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(assignment);
    if (!match) {
      throw new UsageError(`run: --var takes name=value (a name is letters, digits, _ and -), not "${assignment.slice(0, 80)}".`);
    }
    variables.set(match[1]!, match[2]!.trim());
  }
  let grep: RegExp | undefined;
  if (typeof values.grep === 'string') {
    try {
      grep = new RegExp(values.grep);
    } catch (error) {
      throw new UsageError(`run: --grep: ${(error as Error).message}`);
    }
  }
  const reporter = values.reporter;
  if (reporter !== undefined && reporter !== 'github') {
    throw new UsageError(`run: --reporter takes "github", not "${String(reporter)}".`);
  }
  return {
    command: 'run',
    ...nodes,
    targets: positionals,
    variables,
    ...(grep ? { grep } : {}),
    bail: values.bail === true,
    timeoutMs: timeout(values),
    spendLimit: spendLimit(values),
    allowReplyAmounts: values['allow-reply-amounts'] === true,
    ...(typeof values.junit === 'string' ? { junit: nonEmpty('--junit', values.junit) } : {}),
    ...(typeof values.json === 'string' ? { json: nonEmpty('--json', values.json) } : {}),
    github: reporter === 'github' || env.GITHUB_ACTIONS === 'true',
  };
}

/** `--node <ws-url>` or `--node <name>=<ws-url>`; an unnamed node is named by its URL. */
export function parseNodeOption(value: string): NodeConfig {
  const named = /^([^=]+?)=(wss?:\/\/.*)$/is.exec(value);
  const [name, url] = named && !/^wss?:\/\//i.test(value) ? [named[1]!.trim(), named[2]!.trim()] : [value.trim(), value.trim()];
  const problem = checkSubscribeUrl(url);
  if (problem !== undefined || name === '') {
    throw new UsageError(`--node takes ws://host:port/v1/subscribe or name=ws://…: ${problem ?? 'the name is empty'}.`);
  }
  return { name, url };
}

function nodeArguments(command: CommandName, values: Record<string, string | string[] | boolean | undefined>, env: NodeJS.ProcessEnv): NodeArguments {
  const simulate = values.simulate === true;
  const given = ((values.node as string[] | undefined) ?? []).map(parseNodeOption);
  if (simulate && given.length > 0) {
    throw new UsageError(`${command}: --simulate runs against a simulated node of its own; leave out --node.`);
  }
  const names = new Set<string>();
  for (const node of given) {
    if (names.has(node.name)) {
      throw new UsageError(`${command}: two nodes are named "${node.name}"; name them with --node name=ws://…`);
    }
    names.add(node.name);
  }
  const caFile = typeof values['ca-file'] === 'string' ? nonEmpty('--ca-file', values['ca-file']) : undefined;
  const nodes = simulate ? [] : given.length > 0 ? given : [DEFAULT_NODE];
  const apiKeyEnv = typeof values['api-key-env'] === 'string' ? values['api-key-env'] : undefined;
  let apiKey: string | undefined;
  if (apiKeyEnv !== undefined) {
    apiKey = env[apiKeyEnv];
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new UsageError(`${command}: --api-key-env ${apiKeyEnv}: the environment variable ${apiKeyEnv} is not set (or empty). Set it to the node's API key, e.g. from a CI secret.`);
    }
    apiKey = apiKey.trim();
  }
  return {
    nodes: nodes.map((node) => (caFile !== undefined ? { ...node, caFile } : node)),
    ...(apiKeyEnv !== undefined ? { apiKeyEnv, apiKey } : {}),
    simulate,
  };
}

function isCommand(word: string): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word);
}

/** A query (docs/queries.md); a malformed one is a usage error that names its column. */
function query(option: string, text: string): MessageQuery {
  const parsed = parseQuery(text);
  if (!parsed.ok) {
    throw new UsageError(`tail: ${option}: ${describeQueryError(parsed.error)}.`);
  }
  return parsed.query;
}

function positionalCount(command: CommandName, positionals: readonly string[], count: number, usage: string): void {
  if (positionals.length !== count) {
    throw new UsageError(`${command} ${usage}.`);
  }
}

function timeout(values: Record<string, string | string[] | boolean | undefined>): number {
  return typeof values.timeout === 'string' ? duration('--timeout', values.timeout) : DEFAULT_TIMEOUT_MS;
}

function spendLimit(values: Record<string, string | string[] | boolean | undefined>): bigint {
  return typeof values['spend-limit'] === 'string' ? sats('--spend-limit', values['spend-limit'], 0n) : DEFAULT_SPEND_LIMIT_SATS;
}

/** A duration as request files write it: 500ms, 10s, 2m (at most 24 hours). */
export function duration(option: string, text: string): number {
  const ms = parseDuration(text.trim());
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`${option} takes a duration such as 500ms, 10s or 2m (at most 24 hours), not "${text.slice(0, 40)}".`);
  }
  return ms;
}

function wholeNumber(option: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < minimum) {
    throw new UsageError(`${option} takes a whole number ≥ ${minimum}, not "${text.slice(0, 40)}".`);
  }
  return value;
}

function sats(option: string, text: string, minimum: bigint): bigint {
  if (!/^\d{1,18}$/.test(text.trim()) || BigInt(text.trim()) < minimum) {
    throw new UsageError(`${option} takes a whole number of satoshis ≥ ${minimum}, not "${text.slice(0, 40)}".`);
  }
  return BigInt(text.trim());
}

function nonEmpty(option: string, text: string): string {
  if (text.trim() === '') {
    throw new UsageError(`${option} takes a file name.`);
  }
  return text;
}
