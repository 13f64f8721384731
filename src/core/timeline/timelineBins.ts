import * as l10n from '@vscode/l10n';
import { shortId, shortSender } from '../text/messageText';
import type { NodeMessage } from '../nodeMessage';
import { labelText } from '../text/safeText';
import { slidingPercentiles } from './percentiles';
import type { LatencyMark, PercentileLine, TimelineData, TimelineGrouping, TimelineSeries, TimelineSpan, TimeoutMark } from './timelineData';

/** Bin widths, narrowest first: the narrowest that covers the span in `MAX_BINS` bins is used. */
export const BIN_SIZES_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((seconds) => seconds * 1000);
/** Bins drawn, whatever the span: past 360 one-hour bins (15 days), older messages are counted as earlier. */
export const MAX_BINS = 360;
/** Stacked series: the 8 largest in range, then "other". */
export const MAX_SERIES = 8;
/** Latency marks drawn: the newest in range. */
export const MAX_LATENCY_MARKS = 1000;
export const MAX_TIMEOUT_MARKS = 500;
/** Nodes with p50/p95 lines: those with the most replies in range. */
export const MAX_PERCENTILE_NODES = 8;
/** The percentile lines' sliding window, in bins. */
export const PERCENTILE_WINDOW_BINS = 10;
/** Replies the percentile lines are computed from: the newest, so a flood costs a bounded sort. */
export const MAX_PERCENTILE_REPLIES = 5000;
/** Posted IDs are cut off past this: such a reply cannot be revealed from its mark. */
const MAX_POSTED_ID = 1000;

const SPAN_MS: Record<Exclude<TimelineSpan, 'all'>, number> = { '5m': 5 * 60_000, '1h': 3_600_000, '1d': 86_400_000 };

/** An answered watch, as the Timeline reads it: when its reply came and how long it took. */
export interface AnsweredReply {
  readonly node: string;
  /** The reply's arrival (the watch's settling time). */
  readonly at: number;
  readonly ms: number;
  readonly sentId: string;
  readonly replyId: string;
  readonly sender: string;
}

export interface TimedOutWatch {
  readonly node: string;
  readonly at: number;
  readonly sentId: string;
  readonly afterMs: number;
}

/** What the Timeline reads of a held message: when it came, and what it stacks by. */
export type TimelineMessage = Pick<NodeMessage, 'node' | 'fromPubkey' | 'serviceType' | 'receivedAt'>;

export interface TimelineInput {
  /** Held messages, any number of runs (one per node), each oldest first. */
  readonly messages: Iterable<TimelineMessage>;
  readonly replies: readonly AnsweredReply[];
  readonly timeouts: readonly TimedOutWatch[];
  readonly now: number;
}

/** The narrowest bin width that covers `spanMs` in `MAX_BINS` bins; one hour at most. */
export function binSizeFor(spanMs: number): number {
  const span = Number.isFinite(spanMs) && spanMs > 0 ? spanMs : 0;
  return BIN_SIZES_MS.find((size) => Math.ceil(span / size) < MAX_BINS) ?? (BIN_SIZES_MS[BIN_SIZES_MS.length - 1] as number);
}

/**
 * The Timeline's numbers for one span: messages per bin stacked by `grouping`, latency marks, p50
 * and p95 lines per node, timed-out marks. Bins end at the bin holding `now`; their number is at
 * most `MAX_BINS` and the marks at most `MAX_LATENCY_MARKS` / `MAX_TIMEOUT_MARKS`, whatever the span
 * or the rate. Two passes over the held messages, no sorting of them.
 */
export function buildTimeline(input: TimelineInput, span: TimelineSpan, grouping: TimelineGrouping): TimelineData {
  const now = input.now;
  const messages = Array.isArray(input.messages) ? (input.messages as TimelineMessage[]) : [...input.messages];
  let spanMs: number;
  if (span === 'all') {
    let oldest = now;
    for (const message of messages) {
      if (message.receivedAt < oldest) oldest = message.receivedAt;
    }
    for (const reply of input.replies) {
      if (reply.at < oldest) oldest = reply.at;
    }
    spanMs = Math.max(60_000, now - oldest);
  } else {
    spanMs = SPAN_MS[span];
  }
  const binMs = binSizeFor(spanMs);
  const lastBin = Math.floor(now / binMs);
  const binCount = Math.min(MAX_BINS, lastBin - Math.floor((now - spanMs) / binMs) + 1);
  const start = (lastBin - binCount + 1) * binMs;
  const times = Array.from({ length: binCount }, (_, i) => start + i * binMs);
  const binOf = (at: number): number => Math.min(binCount - 1, Math.floor((at - start) / binMs));

  // Pass 1: how many each key has in range, for the top 8.
  const keyOf = groupKey(grouping);
  const perKey = new Map<string, number>();
  let earlier = 0;
  for (const message of messages) {
    if (!(message.receivedAt >= start)) {
      earlier++;
      continue;
    }
    const key = keyOf(message);
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  const ranked = [...perKey].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const top = ranked.slice(0, MAX_SERIES);
  const seriesIndex = new Map(top.map(([key], index) => [key, index]));
  const series: TimelineSeries[] = top.map(([key]) => ({ ...seriesNames(grouping, key), other: false, counts: new Array<number>(binCount).fill(0), total: 0 }));
  if (ranked.length > MAX_SERIES) {
    series.push({ label: l10n.t('other'), title: l10n.t('{0} others', ranked.length - MAX_SERIES), other: true, counts: new Array<number>(binCount).fill(0), total: 0 });
  }

  // Pass 2: the counts.
  const totals = new Array<number>(binCount).fill(0);
  let inRange = 0;
  for (const message of messages) {
    if (!(message.receivedAt >= start)) continue;
    const target = series[seriesIndex.get(keyOf(message)) ?? MAX_SERIES] as { counts: number[]; total: number };
    const bin = binOf(message.receivedAt);
    target.counts[bin] = (target.counts[bin] as number) + 1;
    target.total++;
    totals[bin] = (totals[bin] as number) + 1;
    inRange++;
  }

  const latency = latencyMarks(input.replies, start, now, binMs, times);
  const { marks: timeouts, omitted: timeoutsOmitted } = timeoutMarks(input.timeouts, start);
  return {
    span,
    grouping,
    binMs,
    start,
    now,
    times,
    series,
    totals,
    held: messages.length,
    inRange,
    earlier,
    ...latency,
    timeouts,
    timeoutsOmitted,
  };
}

function groupKey(grouping: TimelineGrouping): (message: TimelineMessage) => string {
  switch (grouping) {
    case 'node':
      return (message) => message.node;
    case 'sender':
      return (message) => message.fromPubkey;
    case 'serviceType':
      return (message) => message.serviceType;
  }
}

/** Peer and node text as the legend and the table show it: one line, bounded. */
function seriesNames(grouping: TimelineGrouping, key: string): { label: string; title: string } {
  switch (grouping) {
    case 'sender':
      return { label: shortSender(key), title: labelText(key, 200) || l10n.t('(unknown sender)') };
    case 'serviceType':
      return { label: labelText(key, 40) || l10n.t('(none)'), title: labelText(key, 200) || l10n.t('(none)') };
    case 'node':
      return { label: labelText(key, 40), title: labelText(key, 200) };
  }
}

function latencyMarks(
  replies: readonly AnsweredReply[],
  start: number,
  now: number,
  binMs: number,
  times: readonly number[],
): { marks: LatencyMark[]; marksOmitted: number; lines: PercentileLine[]; windowMs: number } {
  const inRange = replies.filter((reply) => reply.at >= start && Number.isFinite(reply.ms) && reply.ms >= 0).sort((a, b) => a.at - b.at);
  const kept = inRange.slice(Math.max(0, inRange.length - MAX_LATENCY_MARKS));
  const marks = kept.map((reply) => ({
    at: Math.min(reply.at, now),
    ms: reply.ms,
    node: reply.node,
    sender: shortSender(reply.sender),
    replyId: reply.replyId.length <= MAX_POSTED_ID ? reply.replyId : '',
    replyLabel: labelText(shortId(reply.replyId), 40),
    sentLabel: labelText(shortId(reply.sentId), 40),
  }));

  // The window reaches back before the first bin, so the line starts with what led up to it.
  const windowMs = binMs * PERCENTILE_WINDOW_BINS;
  const recent = replies.filter((reply) => reply.at >= start - windowMs && Number.isFinite(reply.ms) && reply.ms >= 0).sort((a, b) => a.at - b.at);
  const perNode = new Map<string, AnsweredReply[]>();
  for (const reply of recent.slice(Math.max(0, recent.length - MAX_PERCENTILE_REPLIES))) {
    const list = perNode.get(reply.node) ?? [];
    list.push(reply);
    perNode.set(reply.node, list);
  }
  const ends = times.map((time) => Math.min(time + binMs, now));
  const lines = [...perNode]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_PERCENTILE_NODES)
    .map(([node, list]) => {
      const points = slidingPercentiles(
        list.map((reply) => reply.at),
        list.map((reply) => reply.ms),
        ends,
        windowMs,
      );
      return { node, p50: points.map((point) => point.p50), p95: points.map((point) => point.p95) };
    });
  return { marks, marksOmitted: inRange.length - kept.length, lines, windowMs };
}

function timeoutMarks(timeouts: readonly TimedOutWatch[], start: number): { marks: TimeoutMark[]; omitted: number } {
  const inRange = timeouts.filter((timeout) => timeout.at >= start).sort((a, b) => a.at - b.at);
  const kept = inRange.slice(Math.max(0, inRange.length - MAX_TIMEOUT_MARKS));
  return {
    marks: kept.map((timeout) => ({ at: timeout.at, node: timeout.node, sentLabel: labelText(shortId(timeout.sentId), 40), afterMs: timeout.afterMs })),
    omitted: inRange.length - kept.length,
  };
}
