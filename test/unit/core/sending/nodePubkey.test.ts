import * as assert from 'assert';
import { isNodePubkey } from '../../../../src/core/sending/nodePubkey';

describe('isNodePubkey', () => {
  it('recognises a compressed secp256k1 pubkey, and nothing near it', () => {
    assert.ok(isNodePubkey('02' + 'a'.repeat(64)));
    assert.ok(!isNodePubkey('04' + 'a'.repeat(64)));
    assert.ok(!isNodePubkey('02' + 'a'.repeat(63)));
  });
});
