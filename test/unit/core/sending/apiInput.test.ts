import * as assert from 'assert';
import { MAX_SEND_BYTES, checkApiSpend, checkOutgoingMessage, OutgoingMessageError, SpendLimitError } from '../../../../src/core/sending/outgoingMessage';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { checkTimeoutMs, WatchRegistry, WatchTimeoutError } from '../../../../src/core/watches/watches';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

const PUBKEY = '02' + 'ab'.repeat(32);
const DID = 'did:peer:2.Ez6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc';

describe('the API input checks', () => {
  describe('sendMessage and impervious.spendLimitSats', () => {
    it('lets an amount up to the limit through without a word', () => {
      checkApiSpend(100n, 100n, undefined);
      checkApiSpend(1n, 0n, true);
    });

    it('refuses an amount above the limit unless the caller says the user confirmed it', () => {
      assert.throws(() => checkApiSpend(101n, 100n, undefined), (error: Error) => error instanceof SpendLimitError && /^101 sat is over impervious\.spendLimitSats \(100 sat\): nothing was sent/.test(error.message));
      assert.throws(() => checkApiSpend(101n, 100n, false), SpendLimitError);
      checkApiSpend(10n ** 15n, 100n, true);
    });

    it('takes only true as a confirmation: a truthy string or number is a wrong call, not a yes', () => {
      for (const bad of ['true', 1, {}, null]) {
        assert.throws(() => checkApiSpend(101n, 100n, bad), (error: Error) => error instanceof OutgoingMessageError && !(error instanceof SpendLimitError) && /confirmedAmount must be true or false/.test(error.message), String(bad));
      }
    });

    it('weighs the minimum a large body costs when no amount is given', () => {
      const { amount } = checkOutgoingMessage({ pubkey: PUBKEY, data: 'x'.repeat(MAX_SEND_BYTES) }, undefined);
      assert.throws(() => checkApiSpend(amount, 100n, undefined), SpendLimitError);
    });
  });

  describe('waitForReply timeoutMs', () => {
    it('takes any positive finite number, and Infinity or nothing for no timeout', () => {
      assert.strictEqual(checkTimeoutMs(1), 1);
      assert.strictEqual(checkTimeoutMs(0.5), 0.5);
      assert.strictEqual(checkTimeoutMs(2 ** 31 + 1000), 2 ** 31 + 1000);
      assert.strictEqual(checkTimeoutMs(Number.MAX_VALUE), Number.MAX_VALUE);
      assert.strictEqual(checkTimeoutMs(Infinity), undefined);
      assert.strictEqual(checkTimeoutMs(undefined), undefined);
    });

    it('refuses 0, negatives, NaN and non-numbers with a clear error', () => {
      for (const bad of [0, -0, -1, -Infinity, NaN]) {
        assert.throws(() => checkTimeoutMs(bad), (error: Error) => error instanceof RangeError && /timeoutMs must be more than 0 ms/.test(error.message), String(bad));
      }
      for (const bad of ['1000', null, {}, 10n, true]) {
        assert.throws(() => checkTimeoutMs(bad), (error: Error) => error instanceof TypeError && /timeoutMs must be a number/.test(error.message), String(bad));
      }
    });

    it('waits longer than one timer can, in steps, and times out at the deadline', async () => {
      const clock = new FakeClock();
      const registry = new WatchRegistry(() => undefined, clock);
      const timeoutMs = 2 ** 31 + 1000;
      const watch = registry.watch('far', { timeoutMs, visible: false });
      // setTimeout would fire a delay over 2^31 - 1 at once; the first step is the longest timer.
      assert.deepStrictEqual(clock.pending(), [2 ** 31 - 1]);
      clock.advance(2 ** 31 - 1);
      assert.strictEqual(watch.state, 'waiting');
      assert.deepStrictEqual(clock.pending(), [1001]);
      clock.advance(1000);
      assert.strictEqual(watch.state, 'waiting');
      clock.advance(1);
      assert.strictEqual(watch.state, 'timedOut');
      await assert.rejects(watch.promise, WatchTimeoutError);
      assert.strictEqual(registry.waitingCount, 0);
    });

    it('sets no timer for Infinity, and a reply still answers', async () => {
      const clock = new FakeClock();
      const store = new MessageStore(10);
      const registry = new WatchRegistry((id) => store.repliesTo(id)[0], clock);
      const watch = registry.watch('sent', { timeoutMs: Infinity, visible: false });
      assert.deepStrictEqual(clock.pending(), []);
      registry.handle(nodeMessage({ id: 'reply', replyToId: 'sent' }));
      assert.strictEqual((await watch.promise).id, 'reply');
    });
  });

  describe('sendMessage', () => {
    it('takes a 66-hex pubkey on v0, a DID on v1, and either while the version is unknown', () => {
      assert.strictEqual(checkOutgoingMessage({ pubkey: PUBKEY, data: 'hi' }, 'v0').amount, 1n);
      assert.strictEqual(checkOutgoingMessage({ pubkey: PUBKEY.toUpperCase(), data: 'hi' }, 'v0').bytes.toString(), 'hi');
      assert.ok(checkOutgoingMessage({ pubkey: DID, data: 'hi' }, 'v1'));
      assert.ok(checkOutgoingMessage({ pubkey: DID, data: 'hi' }, undefined));
      assert.ok(checkOutgoingMessage({ pubkey: PUBKEY, data: 'hi' }, undefined));
      assert.throws(() => checkOutgoingMessage({ pubkey: DID, data: 'hi' }, 'v0'), /must be a node pubkey: 66 hex digits/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'hi' }, 'v1'), /must be a DID/);
      for (const bad of ['', PUBKEY.slice(2), `${PUBKEY}0`, `${PUBKEY.slice(1)}g`, `did:peer:a b`, 'did::x', 42, undefined]) {
        assert.throws(() => checkOutgoingMessage({ pubkey: bad, data: 'hi' }, undefined), OutgoingMessageError, String(bad));
      }
    });

    it('bounds the data at 480,000 bytes, counted in UTF-8', () => {
      assert.strictEqual(checkOutgoingMessage({ pubkey: PUBKEY, data: new Uint8Array(MAX_SEND_BYTES) }, 'v0').bytes.byteLength, MAX_SEND_BYTES);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: new Uint8Array(MAX_SEND_BYTES + 1) }, 'v0'), /480,001 bytes; a message carries at most 480,000/);
      // 160,001 three-byte characters: short in UTF-16, over the bound in UTF-8.
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: '€'.repeat(160_001) }, 'v0'), /480,003 bytes/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'x'.repeat(10_000_000) }, 'v0'), /10,000,000 bytes/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: { length: 1 } }, 'v0'), /string or a Uint8Array/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', replyToId: 7 }, 'v0'), /reply ID must be a string/);
    });

    it('takes an amount from the minimum up, as a safe integer or a bigint', () => {
      assert.strictEqual(checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', amount: 5 }, 'v0').amount, 5n);
      assert.strictEqual(checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', amount: 2n ** 62n }, 'v0').amount, 2n ** 62n);
      assert.strictEqual(checkOutgoingMessage({ pubkey: PUBKEY, data: new Uint8Array(1801) }, 'v0').amount, 3n);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: new Uint8Array(1801), amount: 2 }, 'v0'), /at least 3 sat for 1801 bytes/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', amount: 0 }, 'v0'), /at least 1 sat/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', amount: -5 }, 'v0'), /at least 1 sat/);
      assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', amount: 2n ** 63n }, 'v0'), /largest the node takes/);
      for (const bad of [1.5, NaN, Infinity, 2 ** 53, '5', null]) {
        assert.throws(() => checkOutgoingMessage({ pubkey: PUBKEY, data: 'x', amount: bad }, 'v0'), /whole number of satoshis/, String(bad));
      }
    });
  });
});
