import type { Clock, TimerHandle } from '../base/clock';
import type { ApiVersion } from '../nodeMessage';
import { basicMessage, didCommId, simulatedFromDidComm } from './didComm';
import type { Prng } from './prng';
import { sampleMessageId, type SamplePeer } from './samplePeers';
import type { MessageInput, SimulatedMessage } from './simulatedMessage';

/** What the simulated node fills a caller's message in with. */
export interface MessageDefaults {
  readonly apiVersion: ApiVersion;
  readonly clock: Clock;
  readonly ids: Prng;
  /** The sender when the caller names none. */
  readonly peer: SamplePeer;
  /** The simulated node's own identity (v1 messages are addressed to it). */
  readonly selfDid: string;
}

/** A caller's message as the stream carries it: missing fields filled in, wrapped in DIDComm on v1. */
export function buildMessage(input: MessageInput, defaults: MessageDefaults): SimulatedMessage {
  const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : (input.data ?? new Uint8Array(0));
  if (defaults.apiVersion === 'v1') {
    const didComm = basicMessage({
      id: input.id ?? didCommId(defaults.ids),
      replyToId: input.replyToId ?? '',
      from: input.fromPubkey ?? defaults.peer.did,
      to: defaults.selfDid,
      createdAtMs: defaults.clock.now(),
      content: Buffer.from(data).toString('utf8'),
    });
    return simulatedFromDidComm(didComm, BigInt(input.amount ?? 0));
  }
  return {
    id: input.id ?? sampleMessageId(defaults.ids),
    replyToId: input.replyToId ?? '',
    fromPubkey: input.fromPubkey ?? defaults.peer.pubkey,
    data,
    serviceType: input.serviceType ?? 'message',
    amount: BigInt(input.amount ?? 1),
  };
}

/**
 * The sample peers talking at a steady rate: `send` runs `rate` times a second on average, on a
 * timer of the injected clock.
 */
export class TrafficPacer {
  private timer: TimerHandle | undefined;
  private currentRate = 0;

  constructor(
    private readonly clock: Clock,
    private readonly send: () => void,
  ) {}

  get rate(): number {
    return this.currentRate;
  }

  /** Messages per second; 0 stops the traffic. With `run` false it only records the rate. */
  setRate(rate: number, run = true): void {
    this.currentRate = checkRate(rate);
    this.stop();
    if (rate > 0 && run) {
      this.start();
    }
  }

  stop(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private start(): void {
    const started = this.clock.now();
    const rate = this.currentRate;
    let sent = 0;
    const interval = Math.max(10, 1000 / rate);
    const tick = () => {
      const due = Math.floor(((this.clock.now() - started) * rate) / 1000) - sent;
      sent += due;
      // After the process was suspended (a laptop asleep), send a second's worth, not the backlog.
      for (let i = 0; i < Math.min(due, Math.ceil(rate)); i++) {
        this.send();
      }
      this.timer = this.clock.setTimeout(tick, interval);
    };
    this.timer = this.clock.setTimeout(tick, interval);
  }
}

export function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`rate must be ≥ 0 messages per second, not ${rate}`);
  }
  return rate;
}
