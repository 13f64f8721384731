// The Timeline webview's script: draws what the extension posts (bins and marks, never messages)
// with uPlot, a chart library made for time series (about 50 KB, canvas, fast with thousands of
// points). Every text a peer or a node chose is written with `textContent` or as an attribute
// value through the DOM, never as HTML: the page's CSP would also stop a script, but escaping does
// not rely on it.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './timeline.css';
import { TIMELINE_SPANS, type LatencyMark, type TimelineData, type TimelineGesture, type TimelineSpan, type TimelineUpdate } from '../../core/timeline/timelineData';

interface VsCodeApi {
  postMessage(message: TimelineGesture): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the panel being hidden and shown again. */
interface ViewState {
  readonly span: TimelineSpan;
  readonly table: boolean;
  readonly brush?: { readonly from: number; readonly to: number };
}

const vscode = acquireVsCodeApi();
const words = readWords();
const chartBox = element('.chart');
const legendBox = element('.legend');
const tableBox = element('.table');
const tooltip = element('.tooltip');
const status = element('.status');
const spansBox = element('.spans');
const tableToggle = element('.table-toggle') as HTMLButtonElement;
const clearBrushButton = document.createElement('button');

let state: ViewState = readState(vscode.getState());
let data: TimelineData | undefined;
let paused = false;
/** The Messages view's query the bins are filtered by (`''`: none). */
let query = '';
let chart: uPlot | undefined;
let chartShape = '';
let pointerDown = false;
let pending: TimelineData | undefined;
/** When the last brush was posted: an update already on its way back may not know of it yet. */
let brushPostedAt = 0;

/** A mark under the pointer is at most this far from it, in CSS pixels. */
const MARK_HIT_PX = 6;

// Toolbar: the spans, the table toggle and, while a range is brushed, a button to show all again.
for (const span of TIMELINE_SPANS) {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.span = span;
  button.textContent = words[spanWord(span)] ?? span;
  button.addEventListener('click', () => {
    setState({ ...state, span });
    vscode.postMessage({ type: 'span', span });
  });
  spansBox.append(button);
}
tableToggle.addEventListener('click', () => {
  setState({ ...state, table: !state.table });
  render();
});
clearBrushButton.type = 'button';
clearBrushButton.className = 'clear-brush';
clearBrushButton.textContent = words.clearBrush ?? 'Show all messages';
clearBrushButton.hidden = true;
clearBrushButton.addEventListener('click', () => {
  setState({ ...state, brush: undefined });
  chart?.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  vscode.postMessage({ type: 'clearBrush' });
  updateToolbar();
});
spansBox.parentElement?.insertBefore(clearBrushButton, status);
chartBox.title = words.brushHint ?? '';
updateToolbar();

window.addEventListener('message', (event: MessageEvent<TimelineUpdate>) => {
  const update = event.data;
  if (update?.type === 'data') {
    paused = update.paused;
    query = update.query ?? '';
    if (state.brush && !update.range && Date.now() - brushPostedAt > 1000) {
      // The Messages view's filter was cleared there: the brushed range goes too.
      setState({ ...state, brush: undefined });
      chart?.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    }
    if (pointerDown) {
      // Mid-drag: a redraw would drop the selection being made. Draw when the button is released.
      pending = update.data;
    } else {
      data = update.data;
      render();
    }
  } else if (update?.type === 'paused') {
    paused = update.paused;
    updateStatus();
  }
});
const pointerReleased = (): void => {
  pointerDown = false;
  if (pending) {
    data = pending;
    pending = undefined;
    render();
  }
};
// Released outside the webview, the button's pointerup never comes here: leaving the page counts.
window.addEventListener('pointerup', pointerReleased);
window.addEventListener('pointercancel', pointerReleased);
window.addEventListener('blur', pointerReleased);
chartBox.addEventListener('pointerdown', () => (pointerDown = true));
chartBox.addEventListener('pointerleave', () => (tooltip.hidden = true));

// Light, dark and high contrast: VS Code changes the body's class and the variables on <html>.
const themeObserver = new MutationObserver(() => {
  chartShape = '';
  render();
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
new ResizeObserver(() => chart?.setSize(chartSize())).observe(chartBox);

vscode.postMessage({ type: 'span', span: state.span });
vscode.postMessage({ type: 'ready' });

function render(): void {
  updateToolbar();
  updateStatus();
  if (!data) {
    return;
  }
  chartBox.classList.toggle('hidden', state.table);
  tableBox.classList.toggle('visually-hidden', !state.table);
  drawChart(data);
  drawLegend(data);
  const tableTotal = drawTable(data);
  vscode.postMessage({ type: 'drawn', bins: data.times.length, total: sum(data.totals), tableTotal });
}

// Chart

interface Colors {
  readonly foreground: string;
  readonly grid: string;
  readonly series: readonly string[];
  readonly other: string;
  readonly mark: string;
  readonly timeout: string;
  readonly lines: readonly string[];
}

function themeColors(): Colors {
  const style = getComputedStyle(document.documentElement);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const series = ['blue', 'orange', 'green', 'purple', 'yellow', 'red'].map((name) => variable(`--vscode-charts-${name}`, '#888'));
  series.push(variable('--vscode-terminal-ansiCyan', '#0aa'), variable('--vscode-terminal-ansiMagenta', '#a0a'));
  return {
    foreground: variable('--vscode-foreground', '#888'),
    grid: variable('--vscode-charts-lines', 'rgba(128,128,128,0.3)'),
    series,
    other: variable('--vscode-disabledForeground', '#777'),
    mark: variable('--vscode-charts-foreground', variable('--vscode-foreground', '#888')),
    timeout: variable('--vscode-errorForeground', '#f44'),
    lines: [variable('--vscode-charts-red', '#f44'), variable('--vscode-charts-yellow', '#cc0'), variable('--vscode-charts-purple', '#a6f')],
  };
}

function seriesColor(colors: Colors, index: number, other: boolean): string {
  return other ? colors.other : (colors.series[index % colors.series.length] as string);
}

function chartSize(): { width: number; height: number } {
  return { width: Math.max(100, chartBox.clientWidth), height: Math.max(80, chartBox.clientHeight) };
}

/** uPlot's data: the bin times in seconds, the stacked counts (top of the stack first), then p50 and p95 per node. */
function chartData(current: TimelineData): uPlot.AlignedData {
  const stacked: number[][] = [];
  let running = new Array<number>(current.times.length).fill(0);
  for (const series of current.series) {
    running = running.map((value, i) => value + (series.counts[i] ?? 0));
    stacked.push(running);
  }
  const lines = current.lines.flatMap((line) => [line.p50, line.p95]);
  return [current.times.map((time) => time / 1000), ...stacked.reverse(), ...lines] as uPlot.AlignedData;
}

function drawChart(current: TimelineData): void {
  const colors = themeColors();
  const shape = JSON.stringify([current.series.map((series) => [series.label, series.other]), current.lines.map((line) => line.node), document.body.className, colors]);
  chartBox.setAttribute('aria-label', summaryText(current));
  if (chart && shape === chartShape) {
    chart.setData(chartData(current));
    return;
  }
  chart?.destroy();
  chartShape = shape;
  const bars = uPlot.paths.bars?.({ size: [0.9, 48], align: 1 });
  const stackSeries: uPlot.Series[] = current.series
    .map((series, index) => {
      const color = seriesColor(colors, index, series.other);
      return { label: `s${index}`, scale: 'count', fill: color, stroke: color, width: 0, paths: bars, points: { show: false } };
    })
    .reverse();
  const lineSeries: uPlot.Series[] = current.lines.flatMap((_, index) => {
    const color = colors.lines[index % colors.lines.length] as string;
    return [
      { label: `p50 ${index}`, scale: 'ms', stroke: color, width: 1, dash: [4, 4], points: { show: false } },
      { label: `p95 ${index}`, scale: 'ms', stroke: color, width: 2, points: { show: false } },
    ];
  });
  const axis = { stroke: colors.foreground, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
  const options: uPlot.Options = {
    ...chartSize(),
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
    scales: {
      x: { time: true },
      count: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1)] },
      ms: { distr: 3, log: 10, range: () => latencyRange(data ?? current) },
    },
    axes: [
      axis,
      { ...axis, scale: 'count', size: 48 },
      // A log scale splits at 1–9 × 10ⁿ: only the powers of ten are labelled, so labels never crowd.
      { ...axis, scale: 'ms', side: 1, grid: { show: false }, size: 64, values: (_u, values) => values.map((value) => (isPowerOfTen(value) ? formatMs(value) : '')) },
    ],
    series: [{}, ...stackSeries, ...lineSeries],
    hooks: {
      draw: [(u) => drawMarks(u, colors)],
      setSelect: [(u) => onSelect(u)],
      setCursor: [(u) => onCursor(u)],
    },
  };
  chart = new uPlot(options, chartData(current), chartBox);
  chart.over.addEventListener('click', (event) => {
    const mark = chart ? markAt(chart, event.offsetX, event.offsetY) : undefined;
    if (mark && mark.replyId) {
      vscode.postMessage({ type: 'reveal', node: mark.node, replyId: mark.replyId });
    }
  });
  if (state.brush) {
    restoreSelection(chart, state.brush);
  }
}

/**
 * How far inside the latency axis's ends the marks and lines stay, as a factor: a mark just over a
 * power of ten (101 ms) would sit on the plot's edge, half drawn and too close to it to click.
 */
const LATENCY_MARGIN = 1.25;

/** The latency axis: whole powers of ten around the marks and lines (kept off its ends), 10 ms to 10 s when there are none. */
function latencyRange(current: TimelineData): uPlot.Range.MinMax {
  let low = Infinity;
  let high = -Infinity;
  const see = (value: number | null | undefined): void => {
    if (typeof value === 'number' && value > 0) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  };
  current.marks.forEach((mark) => see(mark.ms));
  current.lines.forEach((line) => line.p95.forEach(see));
  if (!Number.isFinite(low)) {
    return [10, 10_000];
  }
  const lowPower = Math.floor(Math.log10(Math.max(1, low / LATENCY_MARGIN)));
  return [10 ** lowPower, 10 ** Math.max(Math.ceil(Math.log10(high * LATENCY_MARGIN)), lowPower + 1)];
}

function drawMarks(u: uPlot, colors: Colors): void {
  const current = data;
  if (!current) {
    return;
  }
  const ctx = u.ctx;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  ctx.clip();
  ctx.fillStyle = colors.mark;
  for (const mark of current.marks) {
    const x = u.valToPos(mark.at / 1000, 'x', true);
    const y = u.valToPos(Math.max(1, mark.ms), 'ms', true);
    ctx.beginPath();
    ctx.arc(x, y, 2.5 * ratio, 0, 2 * Math.PI);
    ctx.fill();
  }
  publishMarkPositions(u, current.marks);
  ctx.strokeStyle = colors.timeout;
  ctx.lineWidth = 1.5 * ratio;
  const size = 3 * ratio;
  for (const timeout of current.timeouts) {
    const x = u.valToPos(timeout.at / 1000, 'x', true);
    const y = u.bbox.top + 2 * size;
    ctx.beginPath();
    ctx.moveTo(x - size, y - size);
    ctx.lineTo(x + size, y + size);
    ctx.moveTo(x + size, y - size);
    ctx.lineTo(x - size, y + size);
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * Where each latency mark is drawn, as `[left, top, sent message's label]` in CSS pixels of the
 * plot, on the plot's `data-marks` attribute: a canvas has no elements to find, and this lets the
 * end-to-end steps click a mark as a user does. The labels are the extension's shortened IDs,
 * written as an attribute value, never as markup.
 */
function publishMarkPositions(u: uPlot, marks: readonly LatencyMark[]): void {
  const positions = marks.map((mark) => [Math.round(u.valToPos(mark.at / 1000, 'x')), Math.round(u.valToPos(Math.max(1, mark.ms), 'ms')), mark.sentLabel]);
  u.over.dataset.marks = JSON.stringify(positions);
}

/** The latency mark nearest to a point of the plot (CSS pixels), if one is close enough. */
function markAt(u: uPlot, left: number, top: number): LatencyMark | undefined {
  let best: LatencyMark | undefined;
  let bestDistance = MARK_HIT_PX;
  for (const mark of data?.marks ?? []) {
    const x = u.valToPos(mark.at / 1000, 'x');
    const y = u.valToPos(Math.max(1, mark.ms), 'ms');
    const distance = Math.hypot(x - left, y - top);
    if (distance <= bestDistance) {
      best = mark;
      bestDistance = distance;
    }
  }
  return best;
}

function onSelect(u: uPlot): void {
  if (u.select.width < 3) {
    return;
  }
  const from = Math.round(u.posToVal(u.select.left, 'x') * 1000);
  const to = Math.round(u.posToVal(u.select.left + u.select.width, 'x') * 1000);
  if (to > from) {
    setState({ ...state, brush: { from, to } });
    brushPostedAt = Date.now();
    vscode.postMessage({ type: 'brush', from, to });
    updateToolbar();
  }
}

function restoreSelection(u: uPlot, brush: { from: number; to: number }): void {
  const left = u.valToPos(brush.from / 1000, 'x');
  const right = u.valToPos(brush.to / 1000, 'x');
  if (right > left) {
    u.setSelect({ left, top: 0, width: right - left, height: u.over.clientHeight }, false);
  }
}

function onCursor(u: uPlot): void {
  const { left, top, idx } = u.cursor;
  const current = data;
  if (!current || left === undefined || top === undefined || left < 0 || idx === null || idx === undefined) {
    tooltip.hidden = true;
    return;
  }
  const mark = markAt(u, left, top);
  const lines: string[] = [];
  if (mark) {
    lines.push(`${words.latency}: ${formatMs(mark.ms)}`, `${words.sender}: ${mark.sender}`, `${words.reply}: ${mark.replyLabel}`, `${words.sent}: ${mark.sentLabel}`, `${words.node}: ${mark.node}`);
  } else {
    const time = current.times[idx];
    if (time === undefined) {
      tooltip.hidden = true;
      return;
    }
    lines.push(`${formatTime(time)}–${formatTime(time + current.binMs)}`);
    current.series.forEach((series) => {
      const count = series.counts[idx] ?? 0;
      if (count > 0) lines.push(`${series.label}: ${count}`);
    });
    lines.push(`${words.total}: ${current.totals[idx] ?? 0}`);
  }
  // Text only: a sender such as `<img src=x onerror=…>` shows as those characters.
  tooltip.textContent = lines.join('\n');
  tooltip.hidden = false;
  const box = u.over.getBoundingClientRect();
  tooltip.style.left = `${Math.min(box.left + left + 12, window.innerWidth - tooltip.offsetWidth - 4)}px`;
  tooltip.style.top = `${Math.max(0, box.top + top - tooltip.offsetHeight - 8)}px`;
}

// Legend and table

function drawLegend(current: TimelineData): void {
  const colors = themeColors();
  const entries = current.series.map((series, index) => legendEntry(seriesColor(colors, index, series.other), `${series.label} (${series.total})`, series.title));
  current.lines.forEach((line, index) => {
    entries.push(legendEntry(colors.lines[index % colors.lines.length] as string, `p50 / p95 ${line.node}`, `${words.latency}: p50 / p95, ${line.node}`));
  });
  if (current.marks.length > 0) {
    entries.push(legendEntry(colors.mark, `${words.latency} (${current.marks.length})`, words.latency ?? ''));
  }
  if (current.timeouts.length > 0) {
    entries.push(legendEntry(colors.timeout, `✕ ${current.timeouts.length}`, words.timedOut?.replace('{0}', '…') ?? ''));
  }
  legendBox.replaceChildren(...entries);
}

function legendEntry(color: string, label: string, title: string): HTMLElement {
  const entry = document.createElement('span');
  entry.className = 'entry';
  entry.title = title;
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = color;
  const text = document.createElement('span');
  text.textContent = label;
  entry.append(swatch, text);
  return entry;
}

/** The same numbers as the chart, as tables; returns the messages its rows count (the webview reports it). */
function drawTable(current: TimelineData): number {
  const table = document.createElement('table');
  table.className = 'bins';
  const caption = document.createElement('caption');
  caption.textContent = `${words.messagesTable} · ${words.emptyBins}`;
  const head = row('th', [words.time ?? '', ...current.series.map((series) => series.label), words.total ?? '']);
  current.series.forEach((series, index) => head.children[index + 1]?.setAttribute('title', series.title));
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  let tableTotal = 0;
  current.times.forEach((time, i) => {
    const total = current.totals[i] ?? 0;
    if (total === 0) return;
    tableTotal += total;
    tbody.append(row('td', [formatTime(time), ...current.series.map((series) => String(series.counts[i] ?? 0)), String(total)]));
  });
  const tfoot = document.createElement('tfoot');
  tfoot.append(row('th', [words.total ?? '', ...current.series.map((series) => String(series.total)), String(tableTotal)]));
  table.append(caption, thead, tbody, tfoot);

  const replies = document.createElement('table');
  replies.className = 'replies';
  const repliesCaption = document.createElement('caption');
  repliesCaption.textContent = words.repliesTable ?? '';
  const repliesHead = document.createElement('thead');
  repliesHead.append(row('th', [words.time ?? '', words.latency ?? '', words.sender ?? '', words.reply ?? '', words.sent ?? '', words.node ?? '', '']));
  const repliesBody = document.createElement('tbody');
  for (const mark of current.marks.slice(-200).reverse()) {
    const tr = row('td', [formatTime(mark.at), formatMs(mark.ms), mark.sender, mark.replyLabel, mark.sentLabel, mark.node]);
    // What clicking the mark does, for the keyboard and screen readers.
    const cell = document.createElement('td');
    if (mark.replyId) {
      const reveal = document.createElement('button');
      reveal.type = 'button';
      reveal.textContent = words.reveal ?? 'Reveal';
      reveal.addEventListener('click', () => vscode.postMessage({ type: 'reveal', node: mark.node, replyId: mark.replyId }));
      cell.append(reveal);
    }
    tr.append(cell);
    repliesBody.append(tr);
  }
  for (const timeout of current.timeouts.slice(-50).reverse()) {
    repliesBody.append(row('td', [formatTime(timeout.at), (words.timedOut ?? '{0}').replace('{0}', String(timeout.afterMs)), '', '', timeout.sentLabel, timeout.node]));
  }
  replies.append(repliesCaption, repliesHead, repliesBody);
  tableBox.replaceChildren(table, replies);
  return tableTotal;
}

function row(cell: 'td' | 'th', texts: readonly string[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const text of texts) {
    const td = document.createElement(cell);
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

// Toolbar and status

function updateToolbar(): void {
  for (const button of spansBox.querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.span === state.span));
  }
  tableToggle.textContent = state.table ? (words.chart ?? 'Chart') : (words.table ?? 'Table');
  tableToggle.setAttribute('aria-pressed', String(state.table));
  clearBrushButton.hidden = state.brush === undefined;
}

function updateStatus(): void {
  const parts = [];
  if (paused) parts.push(words.paused ?? '');
  if (query) parts.push(format(words.filtered, query));
  if (data) {
    parts.push(summaryText(data));
    if (data.earlier > 0) parts.push(format(words.earlier, data.earlier));
  }
  status.textContent = parts.join(' · ');
}

function summaryText(current: TimelineData): string {
  return format(words.summary, current.inRange, current.times.length, current.binMs / 1000, current.marks.length);
}

// Helpers

function element(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`${selector} is missing`);
  return found;
}

function readWords(): Record<string, string | undefined> {
  try {
    const parsed: unknown = JSON.parse(document.body.dataset.words ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function readState(saved: unknown): ViewState {
  const value = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<ViewState>;
  const brush = value.brush && typeof value.brush.from === 'number' && typeof value.brush.to === 'number' ? value.brush : undefined;
  return { span: TIMELINE_SPANS.includes(value.span as TimelineSpan) ? (value.span as TimelineSpan) : '5m', table: value.table === true, brush };
}

function setState(next: ViewState): void {
  state = next;
  vscode.setState(state);
}

function spanWord(span: TimelineSpan): string {
  return { '5m': 'span5m', '1h': 'span1h', '1d': 'span1d', all: 'spanAll' }[span];
}

function format(template: string | undefined, ...values: (string | number)[]): string {
  return (template ?? '').replace(/\{(\d+)\}/g, (_, index: string) => String(values[Number(index)] ?? ''));
}

function formatTime(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Math.round(ms)} ${words.ms ?? 'ms'}`;
}

function isPowerOfTen(value: number): boolean {
  const exponent = Math.round(Math.log10(value));
  return value > 0 && Math.abs(value - 10 ** exponent) < 1e-9 * value;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
