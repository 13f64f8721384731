import * as assert from 'assert';
import { indentJson, jsonString, MAX_INDENT_LEVELS } from '../../../../src/core/text/jsonLayout';
import { deepArray, deepObject } from '../../helpers/hostileBodies';

describe('jsonLayout', () => {
  it('lays out JSON as JSON.stringify(value, null, 2) does', () => {
    for (const value of [{ a: [1, 2, { b: null }], c: 'x, y: "z"', d: {}, e: [] }, [], 'text', 12.5e3, [[[]]], { 'k\\"': '\\' }]) {
      const text = JSON.stringify(value);
      assert.strictEqual(indentJson(text, 1e6), JSON.stringify(value, null, 2));
    }
    assert.strictEqual(indentJson(' { "a" :\n [ 1 ,2 ] } ', 1e6), '{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it('lays out 20,000 levels, where JSON.stringify throws, with indentation capped', () => {
    const text = deepObject(20_000);
    assert.throws(() => JSON.stringify(JSON.parse(text), null, 2), RangeError);
    const pretty = indentJson(text, 1e8)!;
    JSON.parse(pretty);
    assert.strictEqual(pretty.replace(/\s+/g, ''), text.replace(/\s+/g, ''));
    const widest = Math.max(...pretty.split('\n').map((line) => line.length - line.trimStart().length));
    assert.strictEqual(widest, 2 * MAX_INDENT_LEVELS);
    assert.ok(indentJson(deepArray(200_000), 1e8));
  });

  it('gives up past the output bound, and prefixes continuation lines', () => {
    assert.strictEqual(indentJson(JSON.stringify(Array(1000).fill(1)), 100), undefined);
    assert.strictEqual(indentJson('[1]', 100, '  '), '[\n    1\n  ]');
  });

  it('writes disguising characters inside strings as escapes', () => {
    assert.strictEqual(indentJson('["a\u202eb"]', 100), '[\n  "a\\u202eb"\n]');
    assert.strictEqual(jsonString('x\u2066\u0085\ud800'), '"x\\u2066\\u0085\\ud800"');
    assert.strictEqual(JSON.parse(jsonString('x\u2066\u0085\ud800')), 'x\u2066\u0085\ud800');
  });
});
