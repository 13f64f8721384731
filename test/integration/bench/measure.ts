// What the bench suites (*.bench.ts beside this file) measure in the extension host while the
// harness sends: event-loop delay, Messages view redraws, the workbench's fetches of the tree, V8's
// GC pauses and the longest stalls, from the first message of a burst to its last. Not a suite
// itself (the runner loads `*.bench.js` only).
import * as assert from 'assert';
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'perf_hooks';
import type { MessageTreeElement } from '../../../src/core/messages/messageTree';
import { waitUntil, type ExtensionExports } from '../harness';

/**
 * The sampling interval of the event-loop delay histograms, in ms. A histogram's values are the
 * intervals between its timer's ticks, so an idle event loop reads about 10 ms, not 0.
 */
const RESOLUTION_MS = 10;
/** The extension host is quiet when a second passes with no delay this long. */
const QUIET_MAX_DELAY_MS = 30;
const QUIET_TIMEOUT_MS = 30_000;
/** A gap this long between two ticks of a timer is listed, with how far the burst had got. */
const STALL_MS = 20;

export interface DelayFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly samples: number;
}

export interface Stall {
  /** From the first message. */
  readonly atMs: number;
  readonly gapMs: number;
  /** Messages received when the stall ended, and the redraws so far. */
  readonly received: number;
  readonly redraws: number;
}

export interface BurstFigures {
  /** From the first message received to the last, each held by the store (or evicted by its bound). */
  readonly durationMs: number;
  /** Received per second over that span: the rate the extension took, whatever the senders' pace. */
  readonly messagesPerSecond: number;
  /** Summed over the burst's nodes (connection counters). */
  readonly accepted: number;
  readonly rejected: number;
  /** Held by the burst's nodes at its end. */
  readonly held: number;
  /** Messages received from each of the burst's nodes. */
  readonly receivedByNode: Readonly<Record<string, number>>;
  readonly eventLoopDelay: DelayFigures;
  /** Redraws of the Messages view from the first message to the last. */
  readonly redraws: number;
  readonly redrawsPerSecond: number;
  /** What the workbench asked the view for meanwhile: VS Code really rendering it. */
  readonly rootFetches: number;
  readonly treeItems: number;
  /** Time in our getChildren and getTreeItem, per root fetch (our share of each redraw). */
  readonly msPerRootFetch: number;
  /** When the workbench fetched the roots (from the first message), and how long getChildren took. */
  readonly rootFetchesAt: readonly { readonly atMs: number; readonly getChildrenMs: number }[];
  /** V8's pauses (kind 1: scavenge, 4: mark-compact, 8: incremental marking) during the burst. */
  readonly gcPauses: readonly { readonly atMs: number; readonly ms: number; readonly kind: number }[];
  readonly viewVisible: boolean;
  /** The longest gaps between two ticks of a 10 ms timer: when the event loop was held up. */
  readonly stalls: readonly Stall[];
  /**
   * What such gaps added to the timer's 10 ms, summed: the time the event loop was held up in
   * stretches over 20 ms. The histogram counts a stall of seconds as one sample, so rare long
   * stalls escape its p99; not this.
   */
  readonly stalledMs: number;
}

/**
 * Calls `ready` (the harness then sends) and measures until `messagesPerNode` have arrived from
 * each of `nodes`. With `profileFile`, a CPU profile of the burst is written there (a heap profile for a name ending in `.heapprofile`).
 */
export async function measureBurst(
  api: ExtensionExports,
  nodes: readonly string[],
  messagesPerNode: number,
  ready: () => void,
  profileFile?: string,
): Promise<BurstFigures> {
  const { subscriptions, messagesView, testProbe } = api.internals;
  const connections = nodes.map((node) => {
    const connection = subscriptions.connection(node);
    assert.ok(connection, `no connection for ${node}`);
    return connection;
  });
  const countersBefore = connections.map(({ counters }) => ({ accepted: counters.accepted, rejected: counters.rejected }));
  const messages = messagesPerNode * nodes.length;
  const receivedByNode: Record<string, number> = Object.fromEntries(nodes.map((node) => [node, 0]));
  const fetches = countTreeFetches(messagesView);
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  let redrawsAtFirst = 0;
  let redrawsAtLast = 0;
  let fetchesAtLast = { roots: 0, items: 0, ms: 0 };
  let viewVisible = true;
  const stalls: Stall[] = [];
  let stalledMs = 0;
  const stallWatch = watchStalls((gapMs, at) => {
    if (received > 0 && received < messages) {
      stalledMs += gapMs - RESOLUTION_MS;
      stalls.push({ atMs: at - firstAt, gapMs, received, redraws: testProbe.redraws - redrawsAtFirst });
    }
  });
  const gcPauses: { at: number; ms: number; kind: number }[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push({ at: entry.startTime, ms: entry.duration, kind: (entry as unknown as { detail: { kind: number } }).detail.kind });
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const profiler = profileFile ? await startProfiler(profileFile.endsWith('.heapprofile')) : undefined;
  const subscription = api.onDidReceiveMessage(({ node }) => {
    receivedByNode[node] = (receivedByNode[node] ?? 0) + 1;
    received++;
    if (received === 1) {
      firstAt = performance.now();
      redrawsAtFirst = testProbe.redraws;
      histogram.enable();
    }
    if (received === messages) {
      lastAt = performance.now();
      redrawsAtLast = testProbe.redraws;
      fetchesAtLast = { ...fetches };
      histogram.disable();
    }
    viewVisible &&= messagesView.treeView.visible;
  });
  try {
    ready();
    await waitUntil(() => received >= messages, `${messages} messages (${received} so far)`, 300_000);
  } finally {
    subscription.dispose();
    fetches.restore();
    stallWatch.dispose();
    gcObserver.disconnect();
  }
  if (profiler && profileFile) {
    fs.writeFileSync(profileFile, JSON.stringify(await profiler.stop()));
  }
  const durationMs = lastAt - firstAt;
  const redraws = redrawsAtLast - redrawsAtFirst;
  const since = (pick: 'accepted' | 'rejected') => connections.reduce((sum, { counters }, index) => sum + counters[pick] - (countersBefore[index] as { accepted: number; rejected: number })[pick], 0);
  return {
    durationMs,
    messagesPerSecond: (messages * 1000) / durationMs,
    accepted: since('accepted'),
    rejected: since('rejected'),
    held: nodes.reduce((sum, node) => sum + api.messages(node).length, 0),
    receivedByNode,
    eventLoopDelay: delayFigures(histogram),
    redraws,
    redrawsPerSecond: (redraws * 1000) / durationMs,
    rootFetches: fetchesAtLast.roots,
    treeItems: fetchesAtLast.items,
    msPerRootFetch: fetchesAtLast.roots > 0 ? fetchesAtLast.ms / fetchesAtLast.roots : 0,
    rootFetchesAt: fetches.rootFetches.filter(({ at }) => at <= lastAt).map(({ at, ms }) => ({ atMs: at - firstAt, getChildrenMs: ms })),
    gcPauses: gcPauses.filter(({ at }) => at >= firstAt && at <= lastAt).map(({ at, ms, kind }) => ({ atMs: at - firstAt, ms, kind })),
    viewVisible,
    stalls: stalls.sort((a, b) => b.gapMs - a.gapMs).slice(0, 20),
    stalledMs,
  };
}

export async function measureIdle(durationMs: number): Promise<DelayFigures> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  await sleep(durationMs);
  histogram.disable();
  return delayFigures(histogram);
}

/**
 * Waits for a second in which the event loop was never held up longer than QUIET_MAX_DELAY_MS
 * (or QUIET_TIMEOUT_MS at most), and resolves with the time it took. Other extensions may still
 * be starting (built-in ones activate on events of the workbench's own start-up), and the last
 * burst's journal write may be running: a burst should not share the event loop with them.
 */
export async function waitUntilQuiet(): Promise<number> {
  const started = performance.now();
  for (;;) {
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    await sleep(1000);
    histogram.disable();
    if (histogram.max / 1e6 < QUIET_MAX_DELAY_MS || performance.now() - started > QUIET_TIMEOUT_MS) {
      return performance.now() - started;
    }
  }
}

/**
 * Counts what the workbench asks the Messages view's provider for (root fetches, tree items) and
 * the time spent answering, by wrapping the two methods on the instance VS Code calls.
 */
function countTreeFetches(view: {
  getChildren(element?: MessageTreeElement): MessageTreeElement[];
  getTreeItem(element: MessageTreeElement): unknown;
}): { roots: number; items: number; ms: number; rootFetches: { at: number; ms: number }[]; restore(): void } {
  const counts = { roots: 0, items: 0, ms: 0, rootFetches: [] as { at: number; ms: number }[], restore: () => undefined as void };
  const getChildren = view.getChildren;
  const getTreeItem = view.getTreeItem;
  view.getChildren = function (element) {
    const started = performance.now();
    try {
      return getChildren.call(this, element);
    } finally {
      counts.ms += performance.now() - started;
      if (element === undefined) {
        counts.roots++;
        counts.rootFetches.push({ at: started, ms: performance.now() - started });
      }
    }
  };
  view.getTreeItem = function (element) {
    const started = performance.now();
    try {
      return getTreeItem.call(this, element);
    } finally {
      counts.ms += performance.now() - started;
      counts.items++;
    }
  };
  counts.restore = () => {
    // The prototype's methods again.
    delete (view as Partial<typeof view>).getChildren;
    delete (view as Partial<typeof view>).getTreeItem;
  };
  return counts;
}

/** Calls `report` with each gap over STALL_MS between two ticks of a 10 ms timer. */
function watchStalls(report: (gapMs: number, at: number) => void): { dispose(): void } {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > STALL_MS) report(now - last, now);
    last = now;
  }, RESOLUTION_MS);
  return { dispose: () => clearInterval(timer) };
}

/**
 * The V8 CPU profiler of this process (the extension host), started; with `heap`, the sampling heap
 * profiler instead, counting what the burst allocates, whether or not a GC has freed it since.
 */
async function startProfiler(heap: boolean): Promise<{ stop(): Promise<unknown> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  if (heap) {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    return {
      async stop() {
        const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
        session.disconnect();
        return profile;
      },
    };
  }
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      return profile;
    },
  };
}

function delayFigures(histogram: IntervalHistogram): DelayFigures {
  const ms = (ns: number) => ns / 1e6;
  return {
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
    meanMs: ms(histogram.mean),
    samples: histogram.count,
  };
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: this suite runs under scripts/bench-vscode.mjs (npm run bench)`);
  }
  return value;
}

/** The harness polls for the file: a rename means it never reads half of it. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.partial`, text);
  fs.renameSync(`${file}.partial`, file);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
