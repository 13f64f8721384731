// What the extension and the Timeline webview say to each other. Plain JSON both ways: the
// extension posts aggregated bins and marks (never messages), the webview posts gestures.
// Every string here that a peer or a node chose is already one line and bounded; the webview still
// writes it as text only (`textContent`), never as HTML.

/** The spans the Timeline shows: the last 5 minutes, hour or day, or everything held. */
export type TimelineSpan = '5m' | '1h' | '1d' | 'all';
export const TIMELINE_SPANS: readonly TimelineSpan[] = ['5m', '1h', '1d', 'all'];

/** What the bars are stacked by: the Messages view's grouping (threads stack by node). */
export type TimelineGrouping = 'node' | 'sender' | 'serviceType';

/** One stacked series of the histogram: a node, a sender or a service type, or "other". */
export interface TimelineSeries {
  /** Short, one line: the legend's text. */
  readonly label: string;
  /** Longer, one line: the tooltip's and the table header's title. */
  readonly title: string;
  /** The series that sums up everything past the top 8. */
  readonly other: boolean;
  /** Messages per bin, parallel to `TimelineData.times`. */
  readonly counts: number[];
  readonly total: number;
}

/** An answered watch, drawn at its reply's time. */
export interface LatencyMark {
  readonly at: number;
  readonly ms: number;
  readonly node: string;
  /** The reply's sender, shortened. */
  readonly sender: string;
  /** The reply's ID as held, for revealing it (empty when too long to post). */
  readonly replyId: string;
  /** The reply's and the sent message's IDs, shortened for display. */
  readonly replyLabel: string;
  readonly sentLabel: string;
}

/** A watch that timed out, drawn at its timeout. */
export interface TimeoutMark {
  readonly at: number;
  readonly node: string;
  /** The awaited ID, shortened for display. */
  readonly sentLabel: string;
  readonly afterMs: number;
}

/** A node's p50 and p95 lines, one value per bin (at the bin's end), `null` where no reply was in the window. */
export interface PercentileLine {
  readonly node: string;
  readonly p50: (number | null)[];
  readonly p95: (number | null)[];
}

export interface TimelineData {
  readonly span: TimelineSpan;
  readonly grouping: TimelineGrouping;
  /** The width of one bin: 1 s up to 1 h. */
  readonly binMs: number;
  /** The first bin's start and the moment the data was taken. */
  readonly start: number;
  readonly now: number;
  /** Each bin's start, ascending. */
  readonly times: number[];
  readonly series: TimelineSeries[];
  /** All series summed, per bin. */
  readonly totals: number[];
  /** Held messages in all, those in the bins, and those older than the first bin. */
  readonly held: number;
  readonly inRange: number;
  readonly earlier: number;
  readonly marks: LatencyMark[];
  /** Latency marks in range that were left out to keep the marks bounded (the oldest go). */
  readonly marksOmitted: number;
  readonly lines: PercentileLine[];
  /** The sliding window of the percentile lines. */
  readonly windowMs: number;
  readonly timeouts: TimeoutMark[];
  readonly timeoutsOmitted: number;
}

/** Extension → webview. */
export type TimelineUpdate =
  | {
      readonly type: 'data';
      readonly data: TimelineData;
      readonly paused: boolean;
      /** The range the Messages view is filtered to, if any: cleared there (Clear Filter), the brush goes too. */
      readonly range?: { readonly from: number; readonly to: number };
      /** The Messages view's query the bins are filtered by, if any (shown as text). */
      readonly query?: string;
    }
  | { readonly type: 'paused'; readonly paused: boolean };

/** Webview → extension. */
export type TimelineGesture =
  | { readonly type: 'ready' }
  | { readonly type: 'span'; readonly span: TimelineSpan }
  /** A brushed range: the Messages view shows only the messages received in [from, to). */
  | { readonly type: 'brush'; readonly from: number; readonly to: number }
  | { readonly type: 'clearBrush' }
  /** A latency mark was clicked: reveal its reply. */
  | { readonly type: 'reveal'; readonly node: string; readonly replyId: string }
  /** What the webview drew from the last data: bins, and the messages in the chart and in the table. */
  | { readonly type: 'drawn'; readonly bins: number; readonly total: number; readonly tableTotal: number };

/** A gesture from the webview, checked: the webview is ours, but what it posts is still input. */
export function parseGesture(value: unknown): TimelineGesture | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'clearBrush':
      return { type: message.type };
    case 'span':
      return TIMELINE_SPANS.includes(message.span as TimelineSpan) ? { type: 'span', span: message.span as TimelineSpan } : undefined;
    case 'brush': {
      const { from, to } = message;
      return typeof from === 'number' && typeof to === 'number' && Number.isFinite(from) && Number.isFinite(to) && from < to
        ? { type: 'brush', from, to }
        : undefined;
    }
    case 'reveal':
      return typeof message.node === 'string' && typeof message.replyId === 'string' && message.replyId.length <= 1000 && message.node.length <= 1000
        ? { type: 'reveal', node: message.node, replyId: message.replyId }
        : undefined;
    case 'drawn': {
      const { bins, total, tableTotal } = message;
      return [bins, total, tableTotal].every((count) => typeof count === 'number' && Number.isSafeInteger(count) && count >= 0)
        ? { type: 'drawn', bins: bins as number, total: total as number, tableTotal: tableTotal as number }
        : undefined;
    }
    default:
      return undefined;
  }
}
