import * as assert from 'assert';
import { hexText, latin1Text, utf16Text, writeBase64 } from '../../../../src/core/base/bufferText';
import { Prng } from '../../../../src/core/simulator/prng';

describe('text from a range of a buffer, through Node’s own method per encoding', () => {
  it('is what Buffer#toString and Buffer#write give, over random ranges of every byte value', () => {
    const random = new Prng(0xb0f7);
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => random.int(0, 255)));
    for (let i = 0; i < 2000; i++) {
      const start = random.int(0, bytes.length);
      const end = random.int(start, Math.min(bytes.length, start + 300));
      assert.strictEqual(latin1Text(bytes, start, end), bytes.toString('latin1', start, end));
      assert.strictEqual(hexText(bytes, start, end), bytes.toString('hex', start, end));
      const even = start + ((end - start) & ~1);
      assert.strictEqual(utf16Text(bytes, start, even), bytes.toString('utf16le', start, even));
    }
  });

  it('decodes base64 into a buffer at a place, no further than the length given', () => {
    const random = new Prng(0xba5e);
    for (let i = 0; i < 500; i++) {
      const data = Buffer.from(Array.from({ length: random.int(0, 700) }, () => random.int(0, 255)));
      const target = Buffer.alloc(data.length + 20, 0xee);
      const at = random.int(0, 20);
      assert.strictEqual(writeBase64(target, data.toString('base64'), at, data.length), data.length);
      assert.deepStrictEqual(target.subarray(at, at + data.length), data);
      assert.ok(target.subarray(0, at).every((byte) => byte === 0xee) && target.subarray(at + data.length).every((byte) => byte === 0xee));
    }
    const short = Buffer.alloc(4, 0);
    assert.strictEqual(writeBase64(short, Buffer.from('abcdef').toString('base64'), 1, 3), 3);
    assert.deepStrictEqual([...short], [0, 0x61, 0x62, 0x63]);
  });
});
