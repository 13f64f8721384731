import * as l10n from '@vscode/l10n';
import { formatDuration } from '../text/duration';
import { previewData, shortId, shortSender } from '../text/messageText';
import type { NodeMessage } from '../nodeMessage';
import { labelText } from '../text/safeText';
import { ThreadShape, type ShapeSource } from '../messages/threadShape';

/** Arrows drawn per diagram; the rest of a larger thread is counted in a closing note. */
export const MAX_DIAGRAM_MESSAGES = 200;
/** Senders drawn as their own participant; the messages of any more share one "other senders" participant. */
export const MAX_DIAGRAM_SENDERS = 12;
/** A preview in an arrow's label. */
const PREVIEW_LENGTH = 60;

/** How long a reply took, from the send that made its watch (see `replyLatencyMs`). */
export interface ReplyTiming {
  readonly ms: number;
  /** The ID of the message that was sent and awaited. */
  readonly sentId: string;
}

/** The held messages a diagram is drawn from: one node's store. */
export interface DiagramSource extends ShapeSource {
  at(sequence: number): NodeMessage | undefined;
  sequenceOf(message: NodeMessage): number;
}

export interface ThreadDiagramOptions {
  /** The node the thread was received on: the participant every arrow points at. */
  readonly node: string;
  /** The latency of a reply that answered a watch. */
  readonly timingOf?: (message: NodeMessage) => ReplyTiming | undefined;
}

/**
 * The thread `message` is in among `held` (its node's store), as a Mermaid `sequenceDiagram` (GitHub renders it in pull requests
 * and issues). The thread is the tree the Messages view shows: loops broken at their oldest
 * message, chains past 32 levels flattened (`ThreadShape`), so the walk ends whatever the reply
 * graph; at most `MAX_DIAGRAM_MESSAGES` arrows, in the order the messages came.
 *
 * Participants get aliases of our own (`N`, `P1`, `P2`…); every text a peer chose (sender, body)
 * goes through `diagramText`, so it stays inside its label: no directive, comment, new statement,
 * entity or HTML can come out of it.
 */
export function threadDiagram(message: NodeMessage, held: DiagramSource, options: ThreadDiagramOptions): string {
  const shape = new ThreadShape(held);
  const sequence = held.sequenceOf(message);
  // Pre-order with an explicit stack, by arrival number: bounded by the held messages, never by recursion depth.
  const collected: number[] = [];
  let total = 0;
  const stack: number[] = sequence < 0 ? [] : [shape.rootOf(sequence)];
  while (stack.length > 0) {
    const current = stack.pop() as number;
    total++;
    if (collected.length < MAX_DIAGRAM_MESSAGES) {
      collected.push(current);
    }
    const children = shape.childrenOf(current);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i] as number);
    }
  }
  // In the order they came; a message no longer held is drawn alone.
  collected.sort((a, b) => a - b);
  const shown = new Set(collected);
  const messages = sequence < 0 ? [{ sequence, message }] : collected.map((current) => ({ sequence: current, message: held.at(current) as NodeMessage }));

  const aliases = new Map<string, string>();
  const participants: string[] = [`    participant N as ${diagramText(options.node, 60)}`];
  let others: string | undefined;
  const aliasOf = (sender: string): string => {
    let alias = aliases.get(sender);
    if (alias === undefined) {
      if (aliases.size < MAX_DIAGRAM_SENDERS) {
        alias = `P${aliases.size + 1}`;
        participants.push(`    participant ${alias} as ${diagramText(shortSender(sender), 40)}`);
      } else {
        alias = 'PX';
        others ??= alias;
      }
      aliases.set(sender, alias);
    }
    return alias;
  };

  const body: string[] = [];
  const sentShown = new Set<string>();
  for (const { sequence: at, message: current } of messages) {
    const from = aliasOf(current.fromPubkey);
    const parent = shape.parentOf(at);
    const timing = options.timingOf?.(current);
    if (timing && !(parent !== undefined && shown.has(parent)) && !sentShown.has(timing.sentId)) {
      // The awaited message was sent from this node (sent messages are not held): draw it too.
      sentShown.add(timing.sentId);
      body.push(`    N->>${from}: ${diagramText(l10n.t('sent {0}', shortId(timing.sentId)), 60)}`);
    }
    const arrow = current.replyToId ? '-->>' : '->>';
    body.push(`    ${from}${arrow}N: ${diagramText(previewData(current, PREVIEW_LENGTH), PREVIEW_LENGTH)}`);
    if (timing) {
      body.push(`    Note over N,${from}: ${diagramText(l10n.t('reply after {0}', formatDuration(timing.ms)), 60)}`);
    }
    const marks = [
      shape.isLoop(at) ? l10n.t('↻ loop') : '',
      shape.isFlattened(at) ? l10n.t('↳ {0} deep', shape.depthOf(at)) : '',
    ].filter(Boolean);
    if (marks.length > 0) {
      body.push(`    Note right of ${from}: ${diagramText(marks.join(' · '), 60)}`);
    }
  }
  if (others) {
    participants.push(`    participant PX as ${diagramText(l10n.t('{0} other senders', countOthers(aliases)), 40)}`);
  }
  if (total > collected.length) {
    body.push(`    Note over N: ${diagramText(l10n.t('{0} more messages not shown', total - collected.length), 60)}`);
  }
  return ['sequenceDiagram', ...participants, ...body].join('\n') + '\n';
}

function countOthers(aliases: ReadonlyMap<string, string>): number {
  let count = 0;
  for (const alias of aliases.values()) {
    if (alias === 'PX') count++;
  }
  return count;
}

/**
 * Characters that mean something to Mermaid or to the HTML it renders into, each replaced by a
 * look-alike that does not: `%` (directives such as `%%{init}` and comments are found anywhere in
 * the text), `#` (entities such as `#59;`, and comments), `;` (ends a statement), `<` `>` `&` (HTML,
 * `<br>`), `{` `}`, the backtick (Markdown strings), `"` and `\`.
 */
const MERMAID_LOOKALIKES: Record<string, string> = {
  '%': '％',
  '#': '＃',
  ';': '；',
  '<': '‹',
  '>': '›',
  '&': '＆',
  '{': '｛',
  '}': '｝',
  '`': 'ˋ',
  '"': '＂',
  '\\': '⧵',
};

/**
 * Peer or node text as the label of a participant, an arrow or a note: one line (no newline can
 * start a statement of its own), bounded, and free of every character Mermaid reads as syntax.
 */
export function diagramText(text: string, maxLength: number): string {
  const line = labelText(text, maxLength).replace(/[%#;<>&{}`"\\]/g, (char) => MERMAID_LOOKALIKES[char] ?? '');
  return line === '' ? '-' : line;
}
