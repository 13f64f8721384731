import * as assert from 'assert';
import { WIRE_SCHEMA } from '../../../../src/core/wire/wireSchema';
import { loadWireTypes, wireFields } from '../../../../src/core/wire/wireTypes';

describe('the wire schema made at build time', () => {
  it('is the field tables protobufjs reads from the .proto files, in their order', () => {
    const types = loadWireTypes();
    assert.deepStrictEqual(WIRE_SCHEMA.subscribeResponse, wireFields(types.subscribeResponse));
    assert.deepStrictEqual(WIRE_SCHEMA.sendMessageRequest, wireFields(types.sendMessageRequest));
  });
});
