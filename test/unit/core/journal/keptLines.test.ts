import * as assert from 'assert';
import { KeptLines, recordBytes } from '../../../../src/core/journal/keptLines';
import { messageFromJson, messageToJson, recordFromJson, type MessageRecord } from '../../../../src/core/journal/messageJson';
import { MessageStore, messageBytes } from '../../../../src/core/messages/messageStore';
import { Prng } from '../../../../src/core/simulator/prng';
import { anyCharacter } from '../../helpers/messages';

const SEED = 0x6c1e5;

/** A record as a journal line holds it: IDs that repeat, empty ones, every plane, data of any size. */
function randomRecord(random: Prng, step: number): MessageRecord {
  const idOf = () =>
    random.weighted<() => string>([
      [() => `m${random.int(0, 150)}`, 20],
      [() => random.hex(64), 5],
      [() => '', 2],
      [() => `wide-${anyCharacter(random)}${random.int(0, 20)}`, 2],
    ])();
  const dataLength = random.weighted<() => number>([
    [() => random.int(0, 40), 20],
    [() => random.int(100, 3000), 5],
    [() => 200_000, 0.05],
  ])();
  const record = recordFromJson(
    messageToJson({
      node: 'n',
      id: idOf(),
      replyToId: random.chance(0.4) ? idOf() : '',
      fromPubkey: random.chance(0.7) ? `02${'ab'.repeat(32)}` : Array.from({ length: random.int(0, 12) }, () => anyCharacter(random)).join(''),
      data: Buffer.from(random.bytes(dataLength)),
      serviceType: random.pick(['message', '', anyCharacter(random)]),
      amount: BigInt(random.int(0, 1e9)),
      receivedAt: step + random.pick([0, 0.5, -1e9]),
    }),
  );
  assert.ok(record, 'a record messageToJson wrote reads back');
  return record;
}

describe('KeptLines', () => {
  it('keeps the lines a MessageStore with the same bounds would hold the messages of, over 20,000 random records', () => {
    const random = new Prng(SEED);
    for (const [maxMessages, maxBytes] of [
      [300, 60_000],
      [5, Number.POSITIVE_INFINITY],
      [1000, 5_000],
      [1, 1],
    ] as const) {
      const kept = new KeptLines(maxMessages, maxBytes);
      const store = new MessageStore(maxMessages, maxBytes);
      // The file the lines are in: each line's ID, by where it starts.
      const ids = new Map<number, string>();
      const lineId = (start: number) => ids.get(start) ?? assert.fail(`no line starts at ${start}`);
      for (let step = 0; step < 5_000; step++) {
        const record = randomRecord(random, step);
        const message = messageFromJson(messageToJson({ ...record, data: Buffer.from(record.data, 'base64') }));
        assert.ok(message);
        assert.strictEqual(recordBytes(record), messageBytes(message), 'a record costs what its message does');
        const lookup = record.id || `m${random.int(0, 150)}`;
        assert.strictEqual(kept.sequenceOfId(lookup, lineId), store.sequenceOfId(lookup), `step ${step}: the newest line of ${lookup}`);
        ids.set(10 * step, record.id);
        kept.add(record, 10 * step, step + 1, lineId);
        store.append(message);
        assert.strictEqual(kept.size, store.size, `step ${step}: size`);
        assert.strictEqual(kept.firstSequence, store.firstSequence, `step ${step}: first arrival number`);
        if (step % 97 === 0 || kept.size < 3) {
          for (let sequence = kept.firstSequence - 1; sequence <= kept.firstSequence + kept.size; sequence++) {
            assert.strictEqual(kept.receivedAtOf(sequence), store.receivedAtOf(sequence), `step ${step}: time received of ${sequence}`);
            assert.strictEqual(kept.bytesOfSequence(sequence), store.bytesOfSequence(sequence), `step ${step}: bytes of ${sequence}`);
            const line = kept.lineOf(sequence);
            const at = store.at(sequence);
            assert.strictEqual(line === undefined, at === undefined, `step ${step}: ${sequence} held by both or neither`);
            if (line) {
              // Each record's line was given as (10 × step, step + 1): its arrival number's.
              assert.deepStrictEqual(line, { start: 10 * (line.length - 1), length: line.length });
              assert.strictEqual(at?.receivedAt, kept.receivedAtOf(sequence));
            }
          }
        }
      }
    }
  });

  it('finds the newest line of a repeated ID, and none once its lines are gone, reading IDs only where hashes are equal', () => {
    const record = (id: string, receivedAt: number) =>
      recordFromJson(messageToJson({ node: 'n', id, replyToId: '', fromPubkey: 'p', data: Buffer.from('x'), serviceType: 's', amount: 1n, receivedAt })) as MessageRecord;
    const ids = ['a', 'a', 'b', 'c', 'd'];
    const read: number[] = [];
    const lineId = (start: number) => {
      read.push(start / 11);
      return ids[start / 11] as string;
    };
    const kept = new KeptLines(3, Number.POSITIVE_INFINITY);
    ids.forEach((id, i) => {
      if (i === 4) {
        assert.strictEqual(kept.sequenceOfId('a', lineId), 1, 'evicting the older line of a keeps the newer');
      }
      kept.add(record(id, i), 11 * i, 10, lineId);
    });
    assert.strictEqual(kept.sequenceOfId('a', lineId), -1);
    assert.strictEqual(kept.sequenceOfId('', lineId), -1, 'an empty ID is no key');
    assert.deepStrictEqual(kept.lineOf(4), { start: 44, length: 10 });
    assert.strictEqual(kept.lineOf(1), undefined);
    assert.deepStrictEqual([...new Set(read)].sort(), [0, 1], 'only the lines of the repeated ID were read');
  });

  it('copies lines from another index as lines of a new file, keeping their hashes, sizes and times', () => {
    const record = (id: string, receivedAt: number) =>
      recordFromJson(messageToJson({ node: 'n', id, replyToId: '', fromPubkey: 'p', data: Buffer.from('xyz'), serviceType: 's', amount: 1n, receivedAt })) as MessageRecord;
    const ids = ['a', 'b', '', 'c'];
    const from = new KeptLines(10, Number.POSITIVE_INFINITY);
    ids.forEach((id, i) => from.add(record(id, i), 100 * i, 50, (start) => ids[start / 100] as string));
    const to = from.emptyLike();
    const newIds = new Map<number, string>();
    for (let sequence = 0; sequence < 4; sequence++) {
      newIds.set(51 * sequence, ids[sequence] as string);
      assert.strictEqual(to.mayHoldIdOf(from, sequence), false, `${sequence}: no kept line has its ID's hash yet`);
      to.addFrom(from, sequence, 51 * sequence, (start) => newIds.get(start) ?? assert.fail('an ID read'));
    }
    for (let sequence = 0; sequence < 4; sequence++) {
      assert.deepStrictEqual(to.lineOf(sequence), { start: 51 * sequence, length: 50 });
      assert.strictEqual(to.bytesOfSequence(sequence), from.bytesOfSequence(sequence));
      assert.strictEqual(to.receivedAtOf(sequence), sequence);
    }
    assert.strictEqual(to.sequenceOfId('c', (start) => newIds.get(start) ?? ''), 3);
    assert.strictEqual(to.mayHoldIdOf(from, 1), true, 'b is kept');
    assert.strictEqual(to.mayHoldIdOf(from, 2), false, 'a line without an ID has none');
    assert.ok(to.hasBounds(10, Number.POSITIVE_INFINITY) && !to.hasBounds(11, Number.POSITIVE_INFINITY));
  });
});
