import * as assert from 'assert';
import { messageFromJson, messageToJson } from '../../../../src/core/journal/messageJson';
import { nodeMessage } from '../../helpers/messages';

describe('messageJson', () => {
  it('round-trips messages through JSON, and refuses malformed records', () => {
    const message = nodeMessage({ id: 'a', replyToId: 'b', data: Buffer.from([1, 2, 3]), amount: 9007199254740993n, receivedAt: 5 });
    const back = messageFromJson(JSON.parse(JSON.stringify(messageToJson(message))))!;
    assert.deepStrictEqual({ ...back, data: [...back.data] }, { ...message, data: [1, 2, 3] });
    assert.strictEqual(messageFromJson({ ...messageToJson(message), amount: 'x' }), undefined);
    assert.strictEqual(messageFromJson(null), undefined);
  });
});
