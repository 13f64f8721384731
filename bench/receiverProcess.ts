// A bench child process: one receiver, either the baseline (a raw `ws` client that JSON.parses each
// frame) or ours (the whole NodeSubscriptions pipeline). A fresh process per round, so that neither side
// inherits the other's heap or JIT state.
import WebSocket from 'ws';
import { NodeSubscriptions } from '../src/core/nodeSubscriptions';
import type { NodeMessage } from '../src/core/nodeMessage';
import { serveParent, tell, wallNow, type ControlMessage } from './child';
import { messageId, QUERY_WATCHES } from './frameMix';
import { parseQuery } from '../src/core/query/query';

/** `queries`: ours with `QUERY_WATCHES` query watches waiting too, none of which the burst matches. */
export type ReceiverKind = 'baseline' | 'ours' | 'queries';

/** The options NodeConnection opens its socket with, so the baseline reads frames the same way. */
const SOCKET_OPTIONS: WebSocket.ClientOptions = { perMessageDeflate: false, maxPayload: 4 * 1024 * 1024 };
const NODE = 'bench';
const MAX_MESSAGES = 5000;

interface Receiver {
  /** Called once per frame after it went through the receiver. */
  onMessage(listener: (message: NodeMessage | BaselineResult) => void): void;
  stats(): Record<string, unknown>;
}

interface BaselineResult {
  readonly id: string;
  readonly replyToId: string;
  readonly data: string;
}

let sink = 0;

async function baselineReceiver(url: string): Promise<Receiver> {
  const socket = new WebSocket(url, [], SOCKET_OPTIONS);
  let listener: (message: BaselineResult) => void = () => undefined;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { result: BaselineResult };
    listener(frame.result);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    onMessage: (callback) => (listener = callback),
    stats: () => ({}),
  };
}

/** The pipeline as the extension runs it: connection, decoder, bounded store with its thread index, watches, event. */
async function ourReceiver(url: string, watchIds: readonly string[]): Promise<{ receiver: Receiver; subscriptions: NodeSubscriptions }> {
  const subscriptions = new NodeSubscriptions({ maxMessages: MAX_MESSAGES });
  subscriptions.setNodes([{ name: NODE, url }], new Map());
  const connected = new Promise<void>((resolve, reject) => {
    subscriptions.onDidChangeStatus(({ status }) => {
      if (status.state === 'connected') {
        resolve();
      } else if (status.state === 'disconnected' || status.state === 'reconnecting') {
        reject(new Error(status.detail));
      }
    });
  });
  subscriptions.connect();
  await connected;
  for (const id of watchIds) {
    subscriptions.watches.watch(id, { visible: false });
  }
  const receiver: Receiver = {
    onMessage: (callback) => subscriptions.onDidReceiveMessage(callback),
    stats: () => {
      const connection = subscriptions.connection(NODE);
      const store = subscriptions.store(NODE);
      return {
        accepted: connection?.counters.accepted,
        rejected: connection?.counters.rejected,
        held: store.size,
        evicted: store.evicted,
        watchesWaiting: subscriptions.watches.waitingCount,
      };
    },
  };
  return { receiver, subscriptions };
}

/**
 * Query watches as people write them, none matched by the burst: a quarter each on the sender,
 * the service type and amount, a phrase in the data, and a JSON field (so every message's data is
 * read as text and as JSON, once, whatever the number of queries).
 */
function benchQueries(salt: string): string[] {
  return Array.from({ length: QUERY_WATCHES }, (_, i) => {
    switch (i % 4) {
      case 0:
        return `from:03ff${i.toString(16).padStart(4, '0')} is:root`;
      case 1:
        return `type:invoice-${i} amount>=1000000`;
      case 2:
        return `"no such phrase ${salt} ${i}" -is:reply`;
      default:
        return `json.order=q-${i} OR json.status="late ${salt}"`;
    }
  });
}

function watchQueries(subscriptions: NodeSubscriptions, salt: string): void {
  for (const text of benchQueries(salt)) {
    const parsed = parseQuery(text);
    if (!parsed.ok) {
      throw new Error(`bench query ${text}: ${parsed.error.message}`);
    }
    subscriptions.watches.watchQuery(parsed.query, { visible: false });
  }
}

/** 90 watches on IDs that never come, 10 on IDs the burst carries (spread over it). */
function throughputWatchIds(count: number, salt: string): string[] {
  const never = Array.from({ length: 90 }, (_, i) => messageId(i, `${salt}-never`));
  const answered = Array.from({ length: 10 }, (_, i) => messageId(Math.floor(((i + 0.5) * count) / 10), salt));
  return [...never, ...answered];
}

/** Receives `count` frames as fast as they come; measures from the first message handled to the last. */
async function throughput(message: ControlMessage): Promise<void> {
  const { kind, url, count, salt } = message as unknown as { kind: ReceiverKind; url: string; count: number; salt: string };
  const sampleEvery = (message.sampleEvery as number | undefined) ?? 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (sampleEvery > 0 && !gc) {
    throw new Error('memory sampling needs node --expose-gc');
  }
  const heap = () => {
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    return { heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers, external: usage.external, rss: usage.rss };
  };

  const ours = kind !== 'baseline' ? await ourReceiver(url, throughputWatchIds(count, salt)) : undefined;
  if (ours && kind === 'queries') {
    watchQueries(ours.subscriptions, salt);
  }
  const receiver = ours?.receiver ?? (await baselineReceiver(url));
  const samples: { at: number; heapUsed: number; arrayBuffers: number }[] = [];
  const start = sampleEvery > 0 ? heap() : undefined;

  let received = 0;
  const dataLengths = new Float64Array(MAX_MESSAGES);
  let firstAt = 0;
  let firstCpu: NodeJS.CpuUsage | undefined;
  receiver.onMessage((result) => {
    sink ^= result.id.length;
    received++;
    if (sampleEvery > 0 && ours) {
      dataLengths[received % MAX_MESSAGES] = (result as NodeMessage).data.byteLength;
    }
    if (received === 1) {
      firstAt = performance.now();
      firstCpu = process.cpuUsage();
    }
    if (sampleEvery > 0 && received % sampleEvery === 0) {
      const sample = heap();
      samples.push({ at: received, heapUsed: sample.heapUsed, arrayBuffers: sample.arrayBuffers });
    }
    if (received === count) {
      const elapsedMs = performance.now() - firstAt;
      const cpu = process.cpuUsage(firstCpu);
      const end = sampleEvery > 0 ? heap() : undefined;
      const retained = sampleEvery > 0 && ours ? retainedByHeld(ours.subscriptions, heap, dataLengths) : undefined;
      tell({
        type: 'done',
        received,
        elapsedMs,
        cpuUs: cpu.user + cpu.system,
        start,
        end,
        samples,
        stats: receiver.stats(),
        retained,
        sink,
      });
    }
  });
  tell({ type: 'ready' });
}

/**
 * What the held messages cost: the heap and array buffers after a GC with the store full, against
 * the same after clearing it, and the data bytes those messages carried (`dataLengths`: the last
 * `MAX_MESSAGES` messages' as they arrived). Nothing asks the store for its messages in between,
 * which would build objects for them and run code not run before.
 */
function retainedByHeld(subscriptions: NodeSubscriptions, heap: () => { heapUsed: number; arrayBuffers: number }, dataLengths: Float64Array) {
  const full = heap();
  const held = subscriptions.store(NODE).size;
  subscriptions.clear(NODE);
  const empty = heap();
  const dataBytes = dataLengths.reduce((sum, length) => sum + length, 0);
  return { held, dataBytes, heapBytes: full.heapUsed - empty.heapUsed, arrayBufferBytes: full.arrayBuffers - empty.arrayBuffers };
}

/** Times each watched reply from the simulator sending it to the receiver having it in hand. */
async function latency(message: ControlMessage): Promise<void> {
  const { kind, url, replies, salt } = message as unknown as { kind: ReceiverKind; url: string; replies: number; salt: string };
  const latencies = new Array<number>(replies).fill(NaN);
  let answered = 0;
  let received = 0;
  const record = (index: number, data: string) => {
    const payload = JSON.parse(data) as { i: number; sentAt: number };
    if (payload.i === index && Number.isNaN(latencies[index])) {
      latencies[index] = wallNow() - payload.sentAt;
      answered++;
      if (answered === replies) {
        tell({ type: 'done', latencies, received, stats: receiverStats() });
      }
    }
  };
  let receiverStats: () => Record<string, unknown> = () => ({});
  const watchIds = Array.from({ length: replies }, (_, i) => messageId(i, salt));

  if (kind === 'ours') {
    const { receiver, subscriptions } = await ourReceiver(url, []);
    receiverStats = receiver.stats;
    receiver.onMessage(() => received++);
    // The API's waitForReply is this: a watch, and the caller awaiting its promise.
    watchIds.forEach((id, index) => {
      void subscriptions.watches.watch(id, { visible: false }).promise.then((reply) => record(index, Buffer.from(reply.data).toString('utf8')));
    });
  } else {
    const receiver = await baselineReceiver(url);
    const indexOf = new Map(watchIds.map((id, index) => [id, index]));
    receiver.onMessage((result) => {
      received++;
      const index = indexOf.get((result as BaselineResult).replyToId);
      if (index !== undefined) {
        record(index, Buffer.from((result as BaselineResult).data, 'base64').toString('utf8'));
      }
    });
  }
  tell({ type: 'ready' });
}

serveParent(async (message) => {
  switch (message.type) {
    case 'throughput':
      return throughput(message);
    case 'latency':
      return latency(message);
    case 'clock':
      tell({ type: 'clock', now: wallNow() });
      return;
    default:
      throw new Error(`unknown command ${message.type}`);
  }
});
