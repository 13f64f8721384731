import * as assert from 'assert';
import {
  buildDeepLink,
  buildMessageLink,
  isDeepLinkError,
  LINK_AUTHORITY,
  MAX_LINK_ID_LENGTH,
  MAX_LINK_NODE_LENGTH,
  parseDeepLink,
  type DeepLinkProblem,
  type DeepLinkResult,
} from '../../../../src/core/ids/deepLinks';

const HEX = '6f1c2a9b'.repeat(8);

/**
 * What a URI handler receives for a link: VS Code's `URI.parse` splits the link with the RFC 3986
 * pattern and percent-decodes each component once, leaving a broken escape as it is.
 */
function asHandlerSees(link: string): { scheme: string; authority: string; path: string; query: string; fragment: string } {
  const match = /^(([^:/?#]+?):)?(\/\/([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?/.exec(link);
  assert.ok(match);
  const decode = (text: string) =>
    text.replace(/(%[0-9A-Za-z][0-9A-Za-z])+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  return {
    scheme: match[2] ?? '',
    authority: decode(match[4] ?? ''),
    path: decode(match[5] ?? ''),
    query: decode(match[7] ?? ''),
    fragment: decode(match[9] ?? ''),
  };
}

function roundTrip(link: string): DeepLinkResult {
  const uri = asHandlerSees(link);
  assert.strictEqual(uri.authority, LINK_AUTHORITY);
  assert.strictEqual(uri.fragment, '', 'nothing in a value leaks into the fragment');
  return parseDeepLink(uri.path, uri.query);
}

function problemOf(path: string, query: string): DeepLinkProblem | undefined {
  const result = parseDeepLink(path, query);
  return isDeepLinkError(result) ? result.problem : undefined;
}

describe('deepLinks', () => {
  it('reads the two paths, with and without a node', () => {
    assert.deepStrictEqual(parseDeepLink('/message', `id=${HEX}`), { kind: 'message', id: HEX });
    assert.deepStrictEqual(parseDeepLink('/watch', `id=${HEX}&node=local`), { kind: 'watch', id: HEX, node: 'local' });
    assert.deepStrictEqual(parseDeepLink('/watch', `?node=local&id=${HEX}&`), { kind: 'watch', id: HEX, node: 'local' });
  });

  it('builds plain links for plain IDs', () => {
    assert.strictEqual(buildMessageLink('vscode', HEX), `vscode://${LINK_AUTHORITY}/message?id=${HEX}`);
    assert.strictEqual(buildDeepLink('vscode-insiders', 'watch', HEX, 'local'), `vscode-insiders://${LINK_AUTHORITY}/watch?id=${HEX}&node=local`);
  });

  it('round-trips any ID and node name through VS Code and back', () => {
    const values = [
      HEX,
      '123e4567-e89b-42d3-a456-426614174000',
      'a/b?c#d%e&f=g h+i',
      '%',
      '%25',
      '%zz',
      '&node=evil',
      'id=x&id=y',
      '#fragment',
      '  spaces  ',
      '+',
      'ünïcödé 中文 😀',
      '\u202eevil\u202c',
      '\u0000\u0001\n\r\t',
      '[x](command:impervious.sendMessage?{"data":"x"})',
      'x'.repeat(MAX_LINK_ID_LENGTH),
      '中'.repeat(MAX_LINK_ID_LENGTH),
    ];
    for (const id of values) {
      for (const node of [undefined, 'local', 'my node & co', '😀/%?#=&', 'n'.repeat(MAX_LINK_NODE_LENGTH)]) {
        for (const kind of ['message', 'watch'] as const) {
          const link = buildDeepLink('vscode', kind, id, node);
          assert.ok(link, JSON.stringify(id));
          const expected = node === undefined ? { kind, id } : { kind, id, node };
          assert.deepStrictEqual(roundTrip(link), expected, link);
        }
      }
    }
  });

  it('builds no link for an ID or node that no link can carry', () => {
    assert.strictEqual(buildMessageLink('vscode', ''), undefined);
    assert.strictEqual(buildMessageLink('vscode', 'x'.repeat(MAX_LINK_ID_LENGTH + 1)), undefined);
    assert.strictEqual(buildMessageLink('vscode', 'half \ud800 pair'), undefined);
    assert.strictEqual(buildMessageLink('vscode', '\udc00'), undefined);
    assert.strictEqual(buildMessageLink('vscode', HEX, ''), undefined);
    assert.strictEqual(buildMessageLink('vscode', HEX, 'n'.repeat(MAX_LINK_NODE_LENGTH + 1)), undefined);
    assert.strictEqual(buildMessageLink('vscode', HEX, '\ud83d'), undefined);
    assert.throws(() => buildMessageLink('javascript:alert(1)//', HEX), TypeError);
    assert.throws(() => buildMessageLink('', HEX), TypeError);
  });

  it('names what is wrong with a malformed link', () => {
    const cases: [string, string, DeepLinkProblem][] = [
      ['/send', `id=${HEX}`, 'unknownPath'],
      ['/', `id=${HEX}`, 'unknownPath'],
      ['', `id=${HEX}`, 'unknownPath'],
      ['/message/', `id=${HEX}`, 'unknownPath'],
      ['/Message', `id=${HEX}`, 'unknownPath'],
      ['/message', '', 'missingId'],
      ['/message', 'id', 'missingId'],
      ['/message', 'id=', 'missingId'],
      ['/message', 'node=local', 'missingId'],
      ['/message', `id=${HEX}&id=${HEX}`, 'duplicateParameter'],
      ['/message', `id=${HEX}&node=a&node=b`, 'duplicateParameter'],
      ['/message', `id=${HEX}&node=`, 'emptyNode'],
      ['/message', `id=${'x'.repeat(MAX_LINK_ID_LENGTH + 1)}`, 'idTooLong'],
      ['/message', `id=${HEX}&node=${'n'.repeat(MAX_LINK_NODE_LENGTH + 1)}`, 'nodeTooLong'],
      ['/message', `id=${'x'.repeat(20_000)}`, 'queryTooLong'],
      ['/message', 'id=50%off', 'malformedEncoding'],
      ['/message', 'id=%ED%A0%80', 'malformedEncoding'],
      ['/message', '%zz=1', 'malformedEncoding'],
      ['/message', `ID=${HEX}`, 'unknownParameter'],
    ];
    for (const [path, query, expected] of cases) {
      assert.strictEqual(problemOf(path, query), expected, `${path}?${query.slice(0, 60)}`);
    }
  });

  it('refuses a link that carries anything but an id and a node: no data, no key, no send', () => {
    for (const extra of ['data=aGVsbG8=', 'key=secret', 'pubkey=03ab', 'apiKey=k', 'msg=hi', 'amount=1000', 'reply_to_id=x', 'send=1', '=x', 'command=impervious.sendMessage']) {
      const result = parseDeepLink('/message', `id=${HEX}&${extra}`);
      assert.ok(isDeepLinkError(result), extra);
      assert.strictEqual(result.problem, 'unknownParameter');
      assert.doesNotMatch(result.error, /secret|aGVsbG8|03ab/, 'a value from the link is never repeated');
    }
  });

  it('never repeats a hostile parameter name in its message', () => {
    const names = ['[x](command:evil)', '\u202eyek', 'a\nb', 'x'.repeat(33), '<img src=x>', '%0Aforged'];
    for (const name of names) {
      const result = parseDeepLink('/watch', `id=${HEX}&${encodeURIComponent(name)}=1`);
      assert.ok(isDeepLinkError(result), name);
      assert.strictEqual(result.error, 'This link has a parameter, which an Impervious link never carries: it only names a message (id, node).');
    }
    const plain = parseDeepLink('/watch', `id=${HEX}&data=1`);
    assert.ok(isDeepLinkError(plain));
    assert.match(plain.error, /a "data" parameter/);
  });
});
