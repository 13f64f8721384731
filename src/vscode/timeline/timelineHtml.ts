import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

/** The webview's script and style, built by scripts/build.mjs beside the extension bundle. */
export const TIMELINE_SCRIPT = 'timeline.js';
export const TIMELINE_STYLE = 'timeline.css';

/** Escapes text for an HTML attribute or text node: the page is built from our strings only, but escaped all the same. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The Timeline's page. A strict Content Security Policy: nothing by default, the one script by its
 * nonce, styles only from the extension's files (no inline script or style anywhere); the words it
 * shows come in a data attribute, so no script is written into the page.
 */
export function timelineHtml(webview: vscode.Webview, dist: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, TIMELINE_SCRIPT));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, TIMELINE_STYLE));
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`].join('; ');
  const words = JSON.stringify(timelineWords());
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(style.toString())}">
<title>${escapeHtml(vscode.l10n.t('Timeline'))}</title>
</head>
<body data-words="${escapeHtml(words)}">
<div class="toolbar" role="toolbar" aria-label="${escapeHtml(vscode.l10n.t('Timeline'))}">
<span class="spans" role="group" aria-label="${escapeHtml(vscode.l10n.t('Span'))}"></span>
<button type="button" class="table-toggle" aria-pressed="false"></button>
<span class="status" role="status" aria-live="polite"></span>
</div>
<div class="chart" role="img"></div>
<div class="legend" aria-hidden="true"></div>
<div class="tooltip" hidden></div>
<div class="table visually-hidden"></div>
<script nonce="${nonce}" src="${escapeHtml(script.toString())}"></script>
</body>
</html>`;
}

/** Every word the webview shows, in the display language. */
function timelineWords(): Record<string, string> {
  return {
    span5m: vscode.l10n.t('5 min'),
    span1h: vscode.l10n.t('Hour'),
    span1d: vscode.l10n.t('Day'),
    spanAll: vscode.l10n.t('All held'),
    table: vscode.l10n.t('Table'),
    chart: vscode.l10n.t('Chart'),
    paused: vscode.l10n.t('Paused, like the Messages view'),
    filtered: vscode.l10n.t('Filtered by the Messages view: {0}'),
    summary: vscode.l10n.t('{0} messages in {1} bins of {2} s; {3} replies timed'),
    earlier: vscode.l10n.t('{0} older messages not in this span'),
    time: vscode.l10n.t('Time'),
    total: vscode.l10n.t('Total'),
    latency: vscode.l10n.t('Reply latency'),
    sender: vscode.l10n.t('Sender'),
    node: vscode.l10n.t('Node'),
    reply: vscode.l10n.t('Reply'),
    sent: vscode.l10n.t('Sent'),
    timedOut: vscode.l10n.t('Timed out after {0} ms'),
    emptyBins: vscode.l10n.t('Bins without messages are left out.'),
    messagesTable: vscode.l10n.t('Messages per bin'),
    repliesTable: vscode.l10n.t('Reply latencies'),
    brushHint: vscode.l10n.t('Drag across the chart to filter the Messages view to that time; click a latency mark to reveal its reply.'),
    clearBrush: vscode.l10n.t('Show all messages'),
    reveal: vscode.l10n.t('Reveal'),
    messages: vscode.l10n.t('messages'),
    ms: vscode.l10n.t('ms'),
  };
}
