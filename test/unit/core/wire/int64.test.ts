import * as assert from 'assert';
import { parseDecimal, parseInt64 } from '../../../../src/core/wire/int64';

describe('int64', () => {
  it('reads decimal int64 text at both ends of the range, and refuses what is past them', () => {
    assert.strictEqual(parseInt64('9223372036854775807'), 2n ** 63n - 1n);
    assert.strictEqual(parseInt64('-9223372036854775808'), -(2n ** 63n));
    assert.strictEqual(parseInt64('9223372036854775808'), undefined);
    assert.strictEqual(parseDecimal('9223372036854775808'), 2n ** 63n, 'in the digit limit, out of range');
    assert.strictEqual(parseInt64('7'), 7n);
  });

  it('refuses anything but plain decimal digits', () => {
    for (const text of ['', '1e3', ' 1', '0x10', '1.0', '+1', '1'.repeat(21)]) {
      assert.strictEqual(parseInt64(text), undefined, JSON.stringify(text));
    }
  });
});
