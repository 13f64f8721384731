// The VS Code part of `npm run bench` (bench/sections/vscode.ts), run inside the extension host of
// a real VS Code by scripts/bench-vscode.mjs, never by the tests (`*.bench.js`, not `*.test.js`).
// The harness sends the bursts from its own process, so the sender costs this event loop nothing:
// this suite waits until the extension is connected, its Messages view is open in the workbench
// and the extension host is quiet, says so in a file, measures while a burst arrives, then measures
// the same length of idle time as the reference, and again for each round. Then it opens the
// Timeline in the panel and does the same rounds again, so the burst with the Timeline open is
// measured against the same burst with it closed, in one run. The figures go to a file. What a
// burst's figures are, and how they are taken, is in measure.ts, shared with the other bench suites.
//
//   IMPERVIOUS_BENCH_DIR       where this writes `ready-<round>.json` (the harness then sends a
//                              burst) and, at the end, `figures.json` (BenchFigures)
//   IMPERVIOUS_BENCH_MESSAGES  messages per burst (50,000 for the targets)
//   IMPERVIOUS_BENCH_ROUNDS    bursts, each followed by its idle reference (default 5)
//   IMPERVIOUS_BENCH_TIMELINE_ROUNDS  bursts after those with the Timeline open in the panel, its
//                              posts to the webview counted (default 0; rounds numbered on from the first)
//   IMPERVIOUS_BENCH_PROFILE   optional: a .cpuprofile of the extension host during the first burst
//                              (a name ending in .heapprofile: a sampling heap profile of what it allocates)
//   IMPERVIOUS_BENCH_PROFILE_ROUND  optional: the burst to profile instead of the first (a warm one)
import * as assert from 'assert';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import type { TimelineProbe } from '../../../src/vscode/timeline';
import { activateExtension, waitUntil } from '../harness';
import { measureBurst, measureIdle, requiredEnv, waitUntilQuiet, writeAtomically, type BurstFigures, type DelayFigures } from './measure';

export type { BurstFigures, DelayFigures, Stall } from './measure';

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
      const quietAfterMs = await waitUntilQuiet();
      const profile = round === Number(process.env.IMPERVIOUS_BENCH_PROFILE_ROUND ?? 1) && process.env.IMPERVIOUS_BENCH_PROFILE;
      const postedBefore = timelineOpen ? (await showTimeline()).posted : 0;
      const ready = path.join(dir, `ready-${round}.json`);
      const burst = await measureBurst(api, [node], messages, () => writeAtomically(ready, JSON.stringify({ round })), profile || undefined);
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

/** Opens (or focuses) the Timeline in the panel, and returns what it has done so far. */
function showTimeline(): Thenable<TimelineProbe> {
  return vscode.commands.executeCommand<TimelineProbe>('impervious.showTimeline');
}
