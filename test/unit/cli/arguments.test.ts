import * as assert from 'assert';
import { DEFAULT_TIMEOUT_MS, parseCommandLine, parseNodeOption, type CommandArguments } from '../../../src/cli/arguments';
import { UsageError } from '../../../src/cli/exitCodes';

const PUBKEY = '02' + 'ab'.repeat(32);

function command(argv: string[], env: NodeJS.ProcessEnv = {}): CommandArguments {
  const parsed = parseCommandLine(argv, env);
  assert.strictEqual(parsed.kind, 'command');
  return (parsed as { args: CommandArguments }).args;
}

function usage(argv: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(() => parseCommandLine(argv, env), (error: unknown) => error instanceof UsageError && pattern.test(error.message));
}

describe('command line: arguments', () => {
  it('reads run with every option, repeatable ones in order', () => {
    const args = command(
      ['run', 'a.imp', 'requests/', '--node', 'ws://127.0.0.1:8882/v1/subscribe', '--node', 'prod=wss://gw.example/n1/v1/subscribe', '--var', 'peer=02ab', '--var', 'x= y ',
        '--grep', '^ping', '--bail', '--timeout', '10s', '--spend-limit', '500', '--allow-reply-amounts', '--junit', 'out/r.xml', '--json', 'out/r.json', '--reporter', 'github', '--ca-file', 'ca.pem'],
    );
    assert.strictEqual(args.command, 'run');
    if (args.command !== 'run') return;
    assert.deepStrictEqual(args.targets, ['a.imp', 'requests/']);
    assert.deepStrictEqual(args.nodes, [
      { name: 'ws://127.0.0.1:8882/v1/subscribe', url: 'ws://127.0.0.1:8882/v1/subscribe', caFile: 'ca.pem' },
      { name: 'prod', url: 'wss://gw.example/n1/v1/subscribe', caFile: 'ca.pem' },
    ]);
    assert.deepStrictEqual([...args.variables], [['peer', '02ab'], ['x', 'y']]);
    assert.strictEqual(args.grep?.source, '^ping');
    assert.deepStrictEqual([args.bail, args.timeoutMs, args.spendLimit, args.allowReplyAmounts, args.junit, args.json, args.github], [true, 10_000, 500n, true, 'out/r.xml', 'out/r.json', true]);
  });

  it('defaults: the extension\'s default node, 30 s, a 100 sat limit, no reply amounts, GitHub annotations only on GITHUB_ACTIONS=true', () => {
    const args = command(['run', 'a.imp']);
    if (args.command !== 'run') return assert.fail();
    assert.deepStrictEqual(args.nodes, [{ name: 'Local node', url: 'ws://127.0.0.1:8882/v1/subscribe' }]);
    assert.deepStrictEqual([args.timeoutMs, args.spendLimit, args.allowReplyAmounts, args.github, args.bail, args.simulate], [DEFAULT_TIMEOUT_MS, 100n, false, false, false, false]);
    const onActions = command(['run', 'a.imp'], { GITHUB_ACTIONS: 'true' });
    assert.strictEqual(onActions.command === 'run' && onActions.github, true);
  });

  it('reads the API key from the named environment variable only, and says when it is missing', () => {
    const args = command(['tail', '--api-key-env', 'IMP_KEY'], { IMP_KEY: ' secret ' });
    assert.deepStrictEqual([args.apiKeyEnv, args.apiKey], ['IMP_KEY', 'secret']);
    usage(['tail', '--api-key-env', 'IMP_KEY'], /IMP_KEY is not set/);
    // There is no flag that takes the key itself.
    usage(['tail', '--api-key', 'secret'], /Unknown option '--api-key'/);
  });

  it('reads tail --filter as a compiled query; a malformed one is a usage error naming its column', () => {
    const args = command(['tail', '--filter', ' type:invoice amount>=10 ', '--simulate']);
    assert.ok(args.command === 'tail' && args.filter);
    assert.strictEqual(args.filter.text, 'type:invoice amount>=10');
    usage(['tail', '--filter', 'type:invoice amount>'], /^tail: --filter: Column 14: expected a value after 'amount>' \(a whole number of satoshis\)\.$/);
    usage(['tail', '--filter', 'foo:bar'], /^tail: --filter: Column 1: unknown field 'foo'/);
    usage(['tail', '--filter', '"open'], /Column 1: expected a closing '"'/);
  });

  it('reads tail, wait and send', () => {
    assert.deepStrictEqual(command(['tail', '--json', '--count', '5', '--for', '2m', '--simulate']), { command: 'tail', nodes: [], simulate: true, json: true, count: 5, forMs: 120_000 });
    assert.deepStrictEqual(command(['wait', ' abc ', '--timeout', '500ms', '--json']), {
      command: 'wait', nodes: [{ name: 'Local node', url: 'ws://127.0.0.1:8882/v1/subscribe' }], simulate: false, id: 'abc', timeoutMs: 500, json: true,
    });
    const send = command(['send', PUBKEY, '-', '--amount', '7', '--reply-to', 'r1', '--wait', '--simulate']);
    assert.deepStrictEqual(send, { command: 'send', nodes: [], simulate: true, pubkey: PUBKEY, text: '-', amount: 7n, replyTo: 'r1', wait: true, timeoutMs: DEFAULT_TIMEOUT_MS, json: false, spendLimit: 100n });
  });

  it('answers --help, <command> --help and --version', () => {
    assert.deepStrictEqual(parseCommandLine([], {}), { kind: 'help' });
    assert.deepStrictEqual(parseCommandLine(['--help'], {}), { kind: 'help' });
    assert.deepStrictEqual(parseCommandLine(['run', '--help'], {}), { kind: 'help', command: 'run' });
    assert.deepStrictEqual(parseCommandLine(['help', 'tail'], {}), { kind: 'help', command: 'tail' });
    assert.deepStrictEqual(parseCommandLine(['--version'], {}), { kind: 'version' });
  });

  it('refuses what it cannot use, saying what it takes', () => {
    usage(['deploy'], /Unknown command "deploy"/);
    usage(['run'], /at least one request file/);
    usage(['run', 'a.imp', '--frobnicate'], /Unknown option '--frobnicate'/);
    usage(['run', 'a.imp', '--timeout', '10'], /--timeout takes a duration/);
    usage(['run', 'a.imp', '--spend-limit=-1'], /--spend-limit takes a whole number/);
    usage(['run', 'a.imp', '--spend-limit', '1.5'], /--spend-limit takes a whole number/);
    usage(['run', 'a.imp', '--var', 'no-equals'], /--var takes name=value/);
    usage(['run', 'a.imp', '--grep', '('], /--grep/);
    usage(['run', 'a.imp', '--reporter', 'tap'], /--reporter takes "github"/);
    usage(['run', 'a.imp', '--node', 'http://x/v1/subscribe'], /must start with ws:\/\/ or wss:\/\//);
    usage(['run', 'a.imp', '--node', 'a=ws://h:1/v1/subscribe', '--node', 'a=ws://h:2/v1/subscribe'], /two nodes are named "a"/);
    usage(['run', 'a.imp', '--simulate', '--node', 'ws://h:1/v1/subscribe'], /leave out --node/);
    usage(['tail', 'extra'], /takes no arguments/);
    usage(['tail', '--count', '0'], /--count takes a whole number ≥ 1/);
    usage(['wait'], /takes one message ID/);
    usage(['send', 'nobody', 'hi'], /not a node pubkey/);
    usage(['send', PUBKEY], /takes a pubkey and a text/);
    usage(['send', PUBKEY, 'hi', '--amount', '0'], /--amount takes a whole number of satoshis ≥ 1/);
  });

  it('tells a named node from a URL that carries an = in its query', () => {
    assert.deepStrictEqual(parseNodeOption('ws://h:1/v1/subscribe?a=b'), { name: 'ws://h:1/v1/subscribe?a=b', url: 'ws://h:1/v1/subscribe?a=b' });
    assert.deepStrictEqual(parseNodeOption('Local node=ws://h:1/v1/subscribe'), { name: 'Local node', url: 'ws://h:1/v1/subscribe' });
    assert.throws(() => parseNodeOption('ws://user:pw@h:1/v1/subscribe'), /credentials/);
  });
});
