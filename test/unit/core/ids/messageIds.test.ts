import * as assert from 'assert';
import { isNodePubkey, looksLikeMessageId } from '../../../../src/core/ids/messageIds';

describe('messageIds', () => {
  it('recognises pubkeys and message IDs', () => {
    assert.ok(isNodePubkey('02' + 'a'.repeat(64)));
    assert.ok(!isNodePubkey('04' + 'a'.repeat(64)));
    assert.ok(!isNodePubkey('02' + 'a'.repeat(63)));
    assert.ok(looksLikeMessageId('a'.repeat(64)));
    assert.ok(looksLikeMessageId('123e4567-e89b-12d3-a456-426614174000'));
    assert.ok(!looksLikeMessageId('hello world, how are you'));
  });
});
