import * as assert from 'assert';
import { checkSubscribeUrl, parseNodeConfigs, restBaseUrl, sameConnection } from '../../../../src/core/connection/nodeConfig';

const URL_OK = 'ws://127.0.0.1:8882/v1/subscribe';

/** The problems `parseNodeConfigs` reports for one bad entry placed after a good one, and that the good one is kept. */
function problemsOf(entry: unknown): string[] {
  const { nodes, problems } = parseNodeConfigs([{ name: 'good', url: URL_OK }, entry]);
  assert.deepStrictEqual(
    nodes.map((node) => node.name),
    ['good'],
    'the good entry is kept, the bad one is not',
  );
  assert.ok(problems.every((problem) => problem.index === 1));
  return problems.map((problem) => problem.message);
}

describe('node configuration (impervious.nodes)', () => {
  it('keeps every field of a good entry', () => {
    const entry = { name: 'tls', url: 'wss://[::1]:8883/v1/subscribe', apiVersion: 'v1', caFile: '/etc/ca.pem', rejectUnauthorized: false };
    assert.deepStrictEqual(parseNodeConfigs([entry]), { nodes: [entry], problems: [] });
    for (const apiVersion of ['auto', 'v0', 'v1', undefined]) {
      assert.deepStrictEqual(parseNodeConfigs([{ name: 'n', url: URL_OK, apiVersion }]).problems, [], String(apiVersion));
    }
  });

  it('reports a setting that is not an array, and keeps nothing', () => {
    for (const raw of [undefined, null, {}, 'ws://x', 5]) {
      assert.deepStrictEqual(parseNodeConfigs(raw), { nodes: [], problems: [{ index: -1, message: 'impervious.nodes must be an array of { name, url }' }] });
    }
  });

  it('reports an entry that is not an object', () => {
    for (const entry of [null, 'ws://x', 3, true]) {
      assert.deepStrictEqual(problemsOf(entry), ['impervious.nodes[1]: must be an object with "name" and "url"']);
    }
  });

  it('reports a missing, empty or non-string name', () => {
    for (const name of [undefined, '', '   ', 7, null]) {
      assert.deepStrictEqual(problemsOf({ name, url: URL_OK }), ['impervious.nodes[1]: "name" must be a non-empty string'], String(name));
    }
  });

  it('reports a name used twice, keeping the first entry', () => {
    const { nodes, problems } = parseNodeConfigs([
      { name: 'a', url: URL_OK },
      { name: 'a', url: 'ws://[::1]:9/v1/subscribe' },
      { name: 'b', url: URL_OK },
    ]);
    assert.deepStrictEqual(
      nodes.map((node) => [node.name, node.url]),
      [
        ['a', URL_OK],
        ['b', URL_OK],
      ],
    );
    assert.deepStrictEqual(problems, [{ index: 1, message: 'impervious.nodes[1]: the name "a" is used twice' }]);
  });

  it('a bad entry does not take its name: a later good entry of that name is kept', () => {
    const { nodes, problems } = parseNodeConfigs([
      { name: 'a', url: 'http://x' },
      { name: 'a', url: URL_OK },
    ]);
    assert.deepStrictEqual(nodes.map((node) => node.name), ['a']);
    assert.strictEqual(problems.length, 1);
  });

  it('reports a URL that is missing, not a URL, not ws(s) or carries credentials', () => {
    assert.deepStrictEqual(problemsOf({ name: 'n' }), ['impervious.nodes[1]: "url" must be a string']);
    assert.deepStrictEqual(problemsOf({ name: 'n', url: 8882 }), ['impervious.nodes[1]: "url" must be a string']);
    assert.deepStrictEqual(problemsOf({ name: 'n', url: 'localhost:8882' }), ['impervious.nodes[1]: "localhost:8882" must start with ws:// or wss://']);
    assert.deepStrictEqual(problemsOf({ name: 'n', url: 'not a url' }), ['impervious.nodes[1]: "not a url" is not a URL']);
    assert.deepStrictEqual(problemsOf({ name: 'n', url: '' }), ['impervious.nodes[1]: "" is not a URL']);
    assert.deepStrictEqual(problemsOf({ name: 'n', url: 'http://127.0.0.1:8882/v1/subscribe' }), [
      'impervious.nodes[1]: "http://127.0.0.1:8882/v1/subscribe" must start with ws:// or wss://',
    ]);
    for (const url of ['ws://user:secret@127.0.0.1:8882/v1/subscribe', 'wss://key@[::1]/v1/subscribe']) {
      const [message] = problemsOf({ name: 'n', url });
      assert.strictEqual(message, 'impervious.nodes[1]: the URL must not carry credentials: set an API key with "Impervious: Set API Key"');
      assert.ok(!message!.includes('secret'), 'the credentials are not repeated');
    }
  });

  it('reports an apiVersion other than auto, v0 or v1', () => {
    for (const apiVersion of ['v2', 'V1', '', 1, null, true]) {
      assert.deepStrictEqual(problemsOf({ name: 'n', url: URL_OK, apiVersion }), ['impervious.nodes[1]: "apiVersion" must be "auto", "v0" or "v1"'], String(apiVersion));
    }
  });

  it('reports a caFile that is not a path', () => {
    for (const caFile of [5, true, null, ['/etc/ca.pem'], {}]) {
      assert.deepStrictEqual(problemsOf({ name: 'n', url: 'wss://[::1]/v1/subscribe', caFile }), ['impervious.nodes[1]: "caFile" must be a path'], JSON.stringify(caFile));
    }
  });

  it('reports a rejectUnauthorized that is not true or false', () => {
    for (const rejectUnauthorized of ['false', 0, 1, null, 'no']) {
      assert.deepStrictEqual(
        problemsOf({ name: 'n', url: 'wss://[::1]/v1/subscribe', rejectUnauthorized }),
        ['impervious.nodes[1]: "rejectUnauthorized" must be true or false'],
        JSON.stringify(rejectUnauthorized),
      );
    }
  });

  it('reports one problem per bad entry, with its index, and keeps every good one', () => {
    const { nodes, problems } = parseNodeConfigs([null, { name: 'ok', url: URL_OK }, { name: 'x', url: URL_OK, apiVersion: 'v9' }, { name: 'ok2', url: URL_OK }]);
    assert.deepStrictEqual(nodes.map((node) => node.name), ['ok', 'ok2']);
    assert.deepStrictEqual(problems.map((problem) => problem.index), [0, 2]);
  });

  it('checkSubscribeUrl accepts ws and wss on any host form', () => {
    for (const url of [URL_OK, 'wss://node.example/v1/subscribe', 'ws://[::1]:8882/v1/subscribe']) {
      assert.strictEqual(checkSubscribeUrl(url), undefined, url);
    }
  });

  it('restBaseUrl maps ws to http and wss to https, same host and port', () => {
    assert.strictEqual(restBaseUrl(URL_OK), 'http://127.0.0.1:8882');
    assert.strictEqual(restBaseUrl('wss://[::1]:8883/v1/subscribe'), 'https://[::1]:8883');
  });

  it('sameConnection: a new connection for a changed URL, API version, CA file or verification, not for defaults spelt out', () => {
    const base = { name: 'n', url: URL_OK };
    assert.ok(sameConnection(base, { ...base, name: 'renamed' }));
    assert.ok(sameConnection(base, { ...base, apiVersion: 'auto', rejectUnauthorized: true }));
    assert.ok(!sameConnection(base, { ...base, url: 'ws://[::1]:8882/v1/subscribe' }));
    assert.ok(!sameConnection(base, { ...base, apiVersion: 'v1' }));
    assert.ok(!sameConnection(base, { ...base, caFile: '/ca.pem' }));
    assert.ok(!sameConnection(base, { ...base, rejectUnauthorized: false }));
  });
});
