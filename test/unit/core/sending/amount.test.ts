import * as assert from 'assert';
import { groupDigits } from '../../../../src/core/sending/amount';

describe('groupDigits', () => {
  it('writes an amount as toLocaleString("en-US") does, for every length and sign', () => {
    const amounts = [0n, 1n, 12n, 123n, 1234n, 12_345n, 123_456n, 1_234_567n, 2n ** 63n - 1n, -1n, -1000n, -(2n ** 63n)];
    for (let digits = 1; digits <= 25; digits++) {
      amounts.push(BigInt('9'.repeat(digits)), BigInt('1' + '0'.repeat(digits - 1)));
    }
    for (const amount of amounts) {
      assert.strictEqual(groupDigits(amount), amount.toLocaleString('en-US'), String(amount));
    }
  });
});
