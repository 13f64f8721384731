import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { ConnectionState } from '../core/connection/nodeConnection';
import type { NodeMessage } from '../core/nodeMessage';
import { checkApiSpend, checkOutgoingMessage } from '../core/sending/outgoingMessage';
import { parseQuery, QuerySyntaxError } from '../core/query/query';
import { checkTimeoutMs } from '../core/watches/watches';

/** What `activate()` returns: the API other extensions (and the integration tests) use. */
export interface ImperviousEventsApi {
  readonly apiVersion: 1;
  readonly onDidReceiveMessage: vscode.Event<NodeMessage>;
  /** Held messages, oldest first. */
  messages(node?: string): readonly NodeMessage[];
  /**
   * The reply to `messageId`: a held message whose `replyToId` is it, else the next message whose
   * `replyToId` or `id` is it. Rejects after `timeoutMs`: any positive number of milliseconds
   * (longer than 2^31 ms too), or `Infinity` / absent for no timeout; 0, a negative number, NaN or
   * a non-number reject at once with a `RangeError`/`TypeError`. At most 10,000 waits at a time.
   */
  waitForReply(messageId: string, options?: { timeoutMs?: number }): Promise<NodeMessage>;
  /**
   * The next message matching `query` (the Messages view's query language, see docs/queries.md),
   * from any node or only `node`; held messages do not answer. Rejects at once with a
   * `SyntaxError` naming the position when the query is malformed, and as `waitForReply` does for
   * `timeoutMs`. At most 100 query waits at a time, with the Awaited Replies view's query watches.
   */
  waitForMessage(query: string, options?: { timeoutMs?: number; node?: string }): Promise<NodeMessage>;
  /**
   * Sends through the node's REST API; resolves with the new message's ID. Checked before any
   * network (an `OutgoingMessageError` otherwise): `pubkey` is 66 hex digits on a v0.1.x node, a
   * DID on a v1 node; `data` at most 480,000 bytes; `amount` a safe integer (or bigint) from the
   * node's minimum (1 sat per started 900 bytes) up. Never prompts: an amount (given, or the
   * minimum for the data) above `impervious.spendLimitSats` is refused with a `SpendLimitError`
   * unless the request says `confirmedAmount: true`, the caller's word that its user confirmed it.
   */
  sendMessage(request: {
    node?: string;
    pubkey: string;
    data: string | Uint8Array;
    amount?: number;
    replyToId?: string;
    confirmedAmount?: boolean;
  }): Promise<string>;
  connectionState(node?: string): ConnectionState;
}

/**
 * `nodesReady`: the first application of the node settings, which activation does not wait for;
 * `spendLimitSats`: the setting as it is now.
 */
export function createApi(subscriptions: NodeSubscriptions, nodesReady: Promise<void>, spendLimitSats: () => number): { api: ImperviousEventsApi; disposable: vscode.Disposable } {
  const emitter = new vscode.EventEmitter<NodeMessage>();
  const subscription = subscriptions.onDidReceiveMessage((message) => {
    emitter.fire(message);
  });
  const api: ImperviousEventsApi = {
    apiVersion: 1,
    onDidReceiveMessage: emitter.event,
    messages: (node) => subscriptions.messages(node),
    waitForReply: (messageId, options) => {
      try {
        if (typeof messageId !== 'string' || messageId === '') {
          throw new TypeError('waitForReply needs a message ID (a non-empty string)');
        }
        if (options !== undefined && (typeof options !== 'object' || options === null)) {
          throw new TypeError('waitForReply options must be an object ({ timeoutMs })');
        }
        const timeoutMs = checkTimeoutMs(options?.timeoutMs);
        return subscriptions.watches.watch(messageId, { timeoutMs, visible: false }).promise;
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    waitForMessage: (query, options) => {
      try {
        if (typeof query !== 'string') {
          throw new TypeError('waitForMessage needs a query (a string)');
        }
        if (options !== undefined && (typeof options !== 'object' || options === null)) {
          throw new TypeError('waitForMessage options must be an object ({ timeoutMs, node })');
        }
        if (options?.node !== undefined && typeof options.node !== 'string') {
          throw new TypeError('waitForMessage: node must be the name of a configured node');
        }
        const parsed = parseQuery(query);
        if (!parsed.ok) {
          throw new QuerySyntaxError(parsed.error, query);
        }
        const timeoutMs = checkTimeoutMs(options?.timeoutMs);
        return subscriptions.watches.watchQuery(parsed.query, { timeoutMs, node: options?.node, visible: false }).promise;
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    // A caller may send right after activate() resolves: the nodes must be known by then.
    sendMessage: async (request) => {
      if (typeof request !== 'object' || request === null) {
        throw new TypeError('sendMessage needs a request: { pubkey, data, amount?, replyToId?, node? }');
      }
      if (request.node !== undefined && typeof request.node !== 'string') {
        throw new TypeError('sendMessage: node must be the name of a configured node');
      }
      await nodesReady;
      const { confirmedAmount, ...send } = request;
      // Checked here as the node will check it, so the amount weighed is the amount sent.
      checkApiSpend(checkOutgoingMessage(send, undefined).amount, BigInt(spendLimitSats()), confirmedAmount);
      return subscriptions.sendMessage(send);
    },
    connectionState: (node) => subscriptions.connectionState(node),
  };
  return {
    api,
    disposable: {
      dispose: () => {
        subscription.dispose();
        emitter.dispose();
      },
    },
  };
}
