import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { ConnectionState } from '../core/nodeConnection';
import type { NodeMessage } from '../core/nodeMessage';

/** What `activate()` returns: the API other extensions (and the integration tests) use. */
export interface ImperviousEventsApi {
  readonly apiVersion: 1;
  readonly onDidReceiveMessage: vscode.Event<NodeMessage>;
  /** Held messages, oldest first. */
  messages(node?: string): readonly NodeMessage[];
  /**
   * The reply to `messageId`: a held message whose `replyToId` is it, else the next message whose
   * `replyToId` or `id` is it. Rejects after `timeoutMs` (none by default).
   */
  waitForReply(messageId: string, options?: { timeoutMs?: number }): Promise<NodeMessage>;
  /** Sends through the node's REST API; resolves with the new message's ID. */
  sendMessage(request: {
    node?: string;
    pubkey: string;
    data: string | Uint8Array;
    amount?: number;
    replyToId?: string;
  }): Promise<string>;
  connectionState(node?: string): ConnectionState;
}

/** `nodesReady`: the first application of the node settings, which activation does not wait for. */
export function createApi(hub: NodeSubscriptions, nodesReady: Promise<void>): { api: ImperviousEventsApi; disposable: vscode.Disposable } {
  const emitter = new vscode.EventEmitter<NodeMessage>();
  const subscription = hub.onDidReceiveMessage((message) => {
    emitter.fire(message);
  });
  const api: ImperviousEventsApi = {
    apiVersion: 1,
    onDidReceiveMessage: emitter.event,
    messages: (node) => hub.messages(node),
    waitForReply: (messageId, options) => {
      if (typeof messageId !== 'string' || messageId === '') {
        return Promise.reject(new Error('waitForReply needs a message ID'));
      }
      return hub.watches.watch(messageId, { timeoutMs: options?.timeoutMs, visible: false }).promise;
    },
    // A caller may send right after activate() resolves: the nodes must be known by then.
    sendMessage: async (request) => {
      await nodesReady;
      return hub.sendMessage(request);
    },
    connectionState: (node) => hub.connectionState(node),
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
