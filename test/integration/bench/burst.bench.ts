// The VS Code part of `npm run bench` (bench/sections/vscode.ts), run inside the extension host of
// a real VS Code by scripts/bench-vscode.mjs, never by the tests (`*.bench.js`, not `*.test.js`).
// The harness sends the bursts from its own process, so the sender costs this event loop nothing:
// this suite waits until the extension is connected, its Messages view is open in the workbench
// and the extension host is quiet, says so in a file, measures while a burst arrives, then measures
// the same length of idle time as the reference, and again for each round. Then it opens the
// Timeline in the panel and does the same rounds again, so the burst with the Timeline open is
// measured against the same burst with it closed, in one run. The figures go to a file.
//
//   IMPERVIOUS_BENCH_DIR       where this writes `ready-<round>.json` (the harness then sends a
//                              burst) and, at the end, `figures.json` (BenchFigures)
//   IMPERVIOUS_BENCH_MESSAGES  messages per burst (50,000 for the targets)
//   IMPERVIOUS_BENCH_ROUNDS    bursts, each followed by its idle reference (default 5)
//   IMPERVIOUS_BENCH_TIMELINE_ROUNDS  bursts after those with the Timeline open in the panel, its
//                              posts to the webview counted (default 0; rounds numbered on from the first)
//   IMPERVIOUS_BENCH_PROFILE   optional: a .cpuprofile of the extension host during the first burst
import * as assert from 'assert';
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'perf_hooks';
import * as vscode from 'vscode';
import type { MessageTreeElement } from '../../../src/core/messages/messageTree';
import type { TimelineProbe } from '../../../src/vscode/timeline';
import { activateExtension, waitUntil, type ExtensionExports } from '../harness';

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
  readonly messagesPerSecond: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly held: number;
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
}

export interface BenchRound {
  /** How long the extension host took to be quiet before the burst (see waitUntilQuiet). */
  readonly quietAfterMs: number;
  readonly burst: BurstFigures;
  /** The burst's length of time with no message, once the extension host is quiet again. */
  readonly idle: { readonly durationMs: number; readonly eventLoopDelay: DelayFigures };
  /** With the Timeline open: the updates posted to its webview from the burst's start until it was held. */
  readonly timelinePosts?: number;
}

export interface BenchFigures {
  readonly vscodeVersion: string;
  readonly node: string;
  readonly messages: number;
  readonly maxMessages: number;
  /**
   * activate() from its start to its return, in this launch (a fresh profile's first), and a
   * SecretStorage round trip taken later (which activation does not wait for; connecting does).
   */
  readonly activation: { readonly totalMs: number; readonly secretsRoundTripMs: number };
  /** In order, with the Timeline closed; the first burst meets cold code (nothing compiled yet) and an empty store. */
  readonly rounds: readonly BenchRound[];
  /** After those, the same bursts with the Timeline open in the panel. */
  readonly timelineRounds: readonly BenchRound[];
}

describe('bench: bursts from the simulated node into the installed extension', () => {
  it('measures event-loop delay, redraws and the time to hold each burst', async function () {
    const dir = requiredEnv('IMPERVIOUS_BENCH_DIR');
    const messages = Number(process.env.IMPERVIOUS_BENCH_MESSAGES ?? 50_000);
    const rounds = Number(process.env.IMPERVIOUS_BENCH_ROUNDS ?? 5);
    const timelineRounds = Number(process.env.IMPERVIOUS_BENCH_TIMELINE_ROUNDS ?? 0);
    this.timeout(600_000);

    // This launch is the profile's first, so this was the extension's first activation.
    const api = await activateExtension();
    const { subscriptions, messagesView, apiKeys } = api.internals;
    await waitUntil(() => api.connectionState() === 'connected', "the extension to connect to the harness's simulated node", 60_000);
    const node = subscriptions.nodeNames()[0] as string;
    await waitUntil(() => messagesView.treeView.visible, 'the harness to open the Messages view in the workbench', 60_000);
    // What reading the keys costs: one more SecretStorage round trip, now.
    const secretsStarted = performance.now();
    await apiKeys.getAll([node]);
    const secretsRoundTripMs = performance.now() - secretsStarted;

    let round = 0;
    /** One burst and its idle reference; with the Timeline open, its posts to the webview are counted. */
    const measureRound = async (timelineOpen: boolean): Promise<BenchRound> => {
      round++;
      // Other extensions may still be starting (built-in ones activate on events of the
      // workbench's own start-up), and the last burst's journal write may be running: the burst
      // should not share the event loop with them.
      const quietAfterMs = await waitUntilQuiet();
      const profile = round === 1 && process.env.IMPERVIOUS_BENCH_PROFILE;
      const postedBefore = timelineOpen ? (await showTimeline()).posted : 0;
      const ready = path.join(dir, `ready-${round}.json`);
      const burst = await measureBurst(api, node, messages, () => writeAtomically(ready, JSON.stringify({ round })), profile || undefined);
      const timelinePosts = timelineOpen ? (await showTimeline()).posted - postedBefore : undefined;
      await waitUntilQuiet();
      return { quietAfterMs, burst, idle: { durationMs: burst.durationMs, eventLoopDelay: await measureIdle(burst.durationMs) }, timelinePosts };
    };
    const results: BenchRound[] = [];
    for (let index = 0; index < rounds; index++) {
      results.push(await measureRound(false));
    }
    const withTimeline: BenchRound[] = [];
    if (timelineRounds > 0) {
      await waitUntil(async () => Boolean((await showTimeline()).drawn), 'the Timeline to open and draw', 60_000);
    }
    for (let index = 0; index < timelineRounds; index++) {
      withTimeline.push(await measureRound(true));
    }

    const figures: BenchFigures = {
      vscodeVersion: vscode.version,
      node: process.version,
      messages,
      maxMessages: subscriptions.store(node).capacity,
      activation: { totalMs: api.internals.activationMs, secretsRoundTripMs },
      rounds: results,
      timelineRounds: withTimeline,
    };
    writeAtomically(path.join(dir, 'figures.json'), JSON.stringify(figures, null, 2));

    // What the figures rest on: every message arrived and was taken, and VS Code drew the view.
    const all = [...results, ...withTimeline];
    for (const [index, { burst }] of all.entries()) {
      assert.strictEqual(burst.accepted, messages, `every message of burst ${index + 1} is accepted`);
      assert.strictEqual(burst.rejected, 0);
      assert.strictEqual(burst.held, Math.min(messages * (index + 1), figures.maxMessages));
      assert.ok(burst.viewVisible, 'the Messages view stayed visible during the burst');
    }
    assert.ok(all.every(({ burst }) => burst.rootFetches > 0), 'the workbench fetched the tree during every burst');
    assert.ok(withTimeline.every(({ timelinePosts }) => (timelinePosts ?? 0) > 0), 'the Timeline was sent updates during every burst it was open for');
  });
});

/**
 * Calls `ready` (the harness then sends a burst) and measures until `messages` have arrived.
 * With `profileFile`, a CPU profile of the burst is written there.
 */
async function measureBurst(api: ExtensionExports, node: string, messages: number, ready: () => void, profileFile?: string): Promise<BurstFigures> {
  const { subscriptions, messagesView, testProbe } = api.internals;
  const connection = subscriptions.connection(node);
  assert.ok(connection, `no connection for ${node}`);
  const acceptedBefore = connection.counters.accepted;
  const rejectedBefore = connection.counters.rejected;
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
  const stallWatch = watchStalls((gapMs, at) => {
    if (received > 0 && received < messages) {
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
  const profiler = profileFile ? await startProfiler() : undefined;
  const subscription = api.onDidReceiveMessage(() => {
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
  return {
    durationMs,
    messagesPerSecond: (messages * 1000) / durationMs,
    accepted: connection.counters.accepted - acceptedBefore,
    rejected: connection.counters.rejected - rejectedBefore,
    held: api.messages(node).length,
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
  };
}

async function measureIdle(durationMs: number): Promise<DelayFigures> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  await sleep(durationMs);
  histogram.disable();
  return delayFigures(histogram);
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

/**
 * Waits for a second in which the event loop was never held up longer than QUIET_MAX_DELAY_MS
 * (or QUIET_TIMEOUT_MS at most), and resolves with the time it took.
 */
async function waitUntilQuiet(): Promise<number> {
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

/** The V8 CPU profiler of this process (the extension host), started. */
async function startProfiler(): Promise<{ stop(): Promise<unknown> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
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

/** Opens (or focuses) the Timeline in the panel, and returns what it has done so far. */
function showTimeline(): Thenable<TimelineProbe> {
  return vscode.commands.executeCommand<TimelineProbe>('impervious.showTimeline');
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: this suite runs under scripts/bench-vscode.mjs (npm run bench)`);
  }
  return value;
}

// The harness polls for the file: a rename means it never reads half of it.
function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.partial`, text);
  fs.renameSync(`${file}.partial`, file);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
