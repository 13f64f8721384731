/**
 * The misbehaviour the simulated node can be switched into, to exercise a client's reconnects,
 * liveness checks and frame rejection. Counts are per stream (per websocket connection).
 */
export interface SimulatorFaults {
  /** Drop the stream (no close frame) after every N frames; 0 never. */
  readonly dropEvery: number;
  /** Keep connections open but send nothing and answer no pings: a dead node behind a live socket. */
  readonly stall: boolean;
  /** Send `{"error":{"code":errorCode,...}}` after `errorAfter` frames of a stream, then drop it. */
  readonly errorCode: number | undefined;
  /** The error frame's message; empty picks the usual text for the code. */
  readonly errorMessage: string;
  readonly errorAfter: number;
  /** Every N-th frame of a stream is a line over 64 KiB, which the proxy cannot pass: the stream drops. */
  readonly oversizeEvery: number;
  /** After every N good frames, one frame the decoder must reject (not JSON, wrong shape, binary). */
  readonly garbageEvery: number;
  /**
   * Send the hostile schedule (hostileTraffic.ts) round after round: looping and dangling replies,
   * structured IDs, deep, long and almost-JSON bodies, every Unicode plane, links and newlines in
   * every field, a line over the limit and a stream error with a hostile message.
   */
  readonly hostile: boolean;
  /** Refuse every REST send with HTTP 503 and this message (code 14); empty sends normally. */
  readonly sendError: string;
}

export const NO_FAULTS: SimulatorFaults = {
  dropEvery: 0,
  stall: false,
  errorCode: undefined,
  errorMessage: '',
  errorAfter: 0,
  oversizeEvery: 0,
  garbageEvery: 0,
  hostile: false,
  sendError: '',
};

/** The message a gRPC server usually gives with each status code the simulator is asked for. */
const USUAL_MESSAGES: Readonly<Record<number, string>> = {
  1: 'context canceled',
  2: 'unknown error',
  4: 'context deadline exceeded',
  8: 'grpc: received message larger than max',
  13: 'internal error',
  14: 'transport is closing',
  16: 'api key is not provided',
};

export function errorMessageFor(faults: SimulatorFaults): string {
  return faults.errorMessage || (faults.errorCode !== undefined ? USUAL_MESSAGES[faults.errorCode] : undefined) || 'simulated stream error';
}

/** Applies `changes` to `current`, refusing values that cannot mean anything. */
export function mergeFaults(current: SimulatorFaults, changes: Partial<SimulatorFaults>): SimulatorFaults {
  const merged = { ...current, ...changes };
  for (const key of ['dropEvery', 'errorAfter', 'oversizeEvery', 'garbageEvery'] as const) {
    const value = merged[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`fault ${key} must be a whole number ≥ 0, not ${String(value)}`);
    }
  }
  if (typeof merged.hostile !== 'boolean' || typeof merged.sendError !== 'string') {
    throw new RangeError('faults hostile must be true or false, and sendError a string');
  }
  if (merged.errorCode !== undefined && (!Number.isInteger(merged.errorCode) || merged.errorCode < 1 || merged.errorCode > 16)) {
    throw new RangeError(`fault errorCode must be a gRPC status code 1..16, not ${String(merged.errorCode)}`);
  }
  return merged;
}

/** One line for the log: which faults are on. */
export function describeFaults(faults: SimulatorFaults): string {
  const parts: string[] = [];
  if (faults.dropEvery > 0) {
    parts.push(`drop every ${faults.dropEvery} frames`);
  }
  if (faults.stall) {
    parts.push('stall');
  }
  if (faults.errorCode !== undefined) {
    parts.push(`error ${faults.errorCode} after ${faults.errorAfter} frames`);
  }
  if (faults.oversizeEvery > 0) {
    parts.push(`oversize line every ${faults.oversizeEvery} frames`);
  }
  if (faults.garbageEvery > 0) {
    parts.push(`garbage after every ${faults.garbageEvery} frames`);
  }
  if (faults.hostile) {
    parts.push('hostile traffic');
  }
  if (faults.sendError) {
    parts.push('sends refused');
  }
  return parts.length > 0 ? parts.join(', ') : 'none';
}
