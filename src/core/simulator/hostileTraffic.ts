import type { Clock, TimerHandle } from '../base/clock';
import type { Prng } from './prng';
import type { MessageInput } from './simulatedMessage';
import { FORGED_LOG_LINE, HOSTILE_COMMAND_LINK } from './hostileText';
import { MAX_LINE_BYTES } from './subscribeFrames';

/**
 * One step of the hostile schedule: messages put on the stream together, a stream error frame
 * (which ends the stream, as the node does), or nothing but a pause.
 */
export type HostileStep = (
  | { readonly kind: 'messages'; readonly messages: readonly MessageInput[] }
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
) & {
  readonly name: string;
  /** The step ends every stream (an error frame, a line over the limit): the next waits for a new one. */
  readonly endsStreams?: boolean;
};

/** How many messages the long reply chain of each round has. */
export const HOSTILE_CHAIN_LENGTH = 1000;
/** The data of each round's last message, so a watcher knows the round has been put on the stream. */
export function hostileRoundEnd(round: number): string {
  return `hostile round ${round} done`;
}

/** The data of a body as long as the node's stream passes in one line (base64 and the frame around it). */
const LONGEST_PASSING_BODY = Math.floor((MAX_LINE_BYTES - 512) / 4) * 3;
/** A body the real node would accept (its documented limit is about 480 KB) but its stream cannot carry. */
const OVERSIZE_BODY = 4 * 1024 * 1024;
const DEEP_JSON_LEVELS = 20_000;

/**
 * Every class of input a peer or a node can send that has hurt clients: reply graphs that loop or
 * dangle, IDs that are structure, bodies that are deep, long, almost-JSON or not UTF-8, every
 * Unicode plane, Markdown and `command:` links where text is shown, newlines where one line is
 * expected, and stream errors whose message is itself hostile. Each round uses fresh IDs.
 */
export function hostileSchedule(round: number, ids: Prng, sender: string): HostileStep[] {
  const id = (label: string) => `${label}-r${round}-${ids.hex(8)}`;
  const messages = (name: string, list: MessageInput[]): HostileStep => ({ kind: 'messages', name, messages: list });
  const self = id('self');
  const [a, b] = [id('loop2a'), id('loop2b')];
  const [x, y, z] = [id('loop3x'), id('loop3y'), id('loop3z')];
  const chain = Array.from({ length: HOSTILE_CHAIN_LENGTH }, (_, index) => id(`chain${index}`));
  const duplicate = id('dup');
  return [
    messages('a self-reply', [{ id: self, replyToId: self, data: 'I reply to myself' }]),
    messages('a loop of two', [
      { id: a, replyToId: b, data: 'loop of two: a answers b' },
      { id: b, replyToId: a, data: 'loop of two: b answers a' },
    ]),
    messages('a loop of three', [
      { id: x, replyToId: z, data: 'loop of three: x' },
      { id: y, replyToId: x, data: 'loop of three: y' },
      { id: z, replyToId: y, data: 'loop of three: z' },
    ]),
    messages(`a chain ${HOSTILE_CHAIN_LENGTH} deep`, chain.map((chainId, index) => ({ id: chainId, replyToId: chain[index - 1] ?? '', data: `chain link ${index}` }))),
    messages('replies to IDs never seen', [1, 2, 3].map((n) => ({ replyToId: id(`unseen${n}`), data: `a reply to a message you never got (${n})` }))),
    messages('a duplicate ID', [
      { id: duplicate, data: 'the first message with this ID' },
      { id: duplicate, data: 'the second message with the same ID' },
    ]),
    messages('IDs that look like structure', ['a/b?c#d%e f', '../../etc', '%2F%00', ' ', '', 'node/id.json', `${id('sep')}\u0000|/#`].map((structured) => ({ id: structured, replyToId: structured ? '' : 'x?y#z', data: `ID ${JSON.stringify(structured)}` }))),
    messages(`JSON nested ${DEEP_JSON_LEVELS} levels deep`, [{ data: '['.repeat(DEEP_JSON_LEVELS) + ']'.repeat(DEEP_JSON_LEVELS) }]),
    messages('a body as long as the stream passes, in one line', [{ data: 'L'.repeat(LONGEST_PASSING_BODY) }]),
    messages('invalid JSON that looks like JSON', ['{"a": 1,', '[1, 2', '{"key": "value"}}', '{"n": NaN}', '{"a":'.repeat(5000)].map((data) => ({ data }))),
    messages('every Unicode plane', [{ data: EVERY_PLANE }, { data: EVERY_PLANE, fromPubkey: `did:peer:${EVERY_PLANE}`, serviceType: EVERY_PLANE }]),
    messages('lone surrogates', [
      { data: Uint8Array.from([0x61, 0xed, 0xa0, 0x80, 0x62]), id: id('lone\ud800'), fromPubkey: 'did:peer:\udc00lone', serviceType: 'svc\ud83d' },
      { data: 'text \ud800 with a lone high surrogate' },
    ]),
    messages('Markdown and command links in senders, service types and data', [
      { fromPubkey: `did:${HOSTILE_COMMAND_LINK}`, data: `# Heading ${HOSTILE_COMMAND_LINK} <img src=x onerror=alert(1)> \`code\` **bold**`, serviceType: '[Open](command:workbench.action.terminal.new)' },
      { fromPubkey: '[Re-authenticate](https://evil.example/login)', data: '$(alert) urgent $(sync~spin) [click](command:workbench.action.quit)', serviceType: '<b>vpn</b>' },
    ]),
    messages('newlines and bidi overrides in service types and senders', [
      { serviceType: `message\n${FORGED_LOG_LINE}`, data: 'a service type with a newline' },
      { serviceType: 'svc\r\nx\u2028y\u2029z', fromPubkey: `03${'ab'.repeat(32)}\n${FORGED_LOG_LINE}`, data: `data\n${FORGED_LOG_LINE}` },
      { fromPubkey: 'did:peer:\u202Eexe.txt\u202C', data: 'invoice \u202Efdp.exe\u202C', serviceType: '\u2066sign\u2069' },
    ]),
    messages('the end of the round', [{ data: hostileRoundEnd(round) }]),
    { ...messages("a 4 MiB body: over the stream's 64 KiB line limit, so the stream drops", [{ data: 'B'.repeat(OVERSIZE_BODY), fromPubkey: sender }]), endsStreams: true },
    { kind: 'error', name: 'a stream error with a hostile message', endsStreams: true, code: 14, message: `route failed: ${HOSTILE_COMMAND_LINK.replace('Fix Now', 'Open Fix')}\n${FORGED_LOG_LINE}` },
  ];
}

/** One character from each of the 17 Unicode planes, with a combining mark and a zero-width joiner. */
const EVERY_PLANE = Array.from({ length: 17 }, (_, plane) => String.fromCodePoint(plane === 0 ? 0x00e9 : plane * 0x10000 + 0x41)).join(' ') + ' e\u0301 👩\u200d💻 \ufeff';

/**
 * Runs the hostile schedule, one step every `intervalMs`, round after round, only while a stream
 * is open (a step nobody receives proves nothing). A step that ends the streams, and the end of a
 * round, are followed by a longer pause, in which the client reconnects.
 */
export class HostilePacer {
  private timer: TimerHandle | undefined;
  private steps: HostileStep[] = [];
  private round = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly schedule: (round: number) => HostileStep[],
    private readonly hasSubscribers: () => boolean,
    private readonly run: (step: HostileStep, round: number) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  set(on: boolean): void {
    if (on && !this.running) {
      this.after(this.intervalMs);
    } else if (!on) {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private after(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    if (!this.hasSubscribers()) {
      return this.after(this.intervalMs);
    }
    if (this.steps.length === 0) {
      this.steps = this.schedule(++this.round);
    }
    const step = this.steps.shift() as HostileStep;
    this.run(step, this.round);
    this.after(this.steps.length === 0 || step.endsStreams ? this.intervalMs * 8 : this.intervalMs);
  }
}
