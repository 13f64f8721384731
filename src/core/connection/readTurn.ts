/**
 * Frames handled before the sockets pause until the event loop's next turn. A busy socket hands
 * over up to 32 reads of 64 KiB in one go: ten thousand frames, 100 ms in VS Code's extension
 * host, where timers, other extensions and the views wait meanwhile. 512 frames take about 5 ms.
 */
const FRAMES_PER_TURN = 512;
/**
 * ... or this long, whichever comes first: code not yet compiled (the first burst after
 * activation) takes several times as long a frame, and 512 frames of it 25 ms or more.
 */
const TURN_MS = 4;
/** The clock is read every this many frames. */
const FRAMES_PER_CHECK = 32;

/** What `ReadTurn` pauses: a socket's reading (ws's `pause` and `resume`). */
export interface PausableReader {
  pause(): void;
  resume(): void;
}

/**
 * The frames every connection of a window handles in one turn of the event loop, counted
 * together: ten busy nodes get the same share of a turn as one, not ten times as much. When the
 * count reaches `framesPerTurn`, or the turn's first frame was `turnMs` ago, each reader that
 * hands over a frame pauses (the frames it has already read still come), and all of them resume
 * at the next turn, where the count starts again.
 */
export class ReadTurn {
  private frames = 0;
  /** When this turn's first frame came. */
  private started = 0;
  /** This turn's share is spent: every reader that hands over a frame pauses. */
  private spent = false;
  private readonly paused = new Set<PausableReader>();

  constructor(
    readonly framesPerTurn = FRAMES_PER_TURN,
    readonly turnMs = TURN_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one frame from `reader`, and pauses it when this turn's share is spent. */
  frame(reader: PausableReader): void {
    if (this.frames++ === 0) {
      this.started = this.now();
      setImmediate(this.nextTurn);
    }
    if (!this.spent) {
      this.spent = this.frames >= this.framesPerTurn || (this.frames % FRAMES_PER_CHECK === 0 && this.now() - this.started >= this.turnMs);
      if (!this.spent) {
        return;
      }
    }
    if (!this.paused.has(reader)) {
      reader.pause();
      this.paused.add(reader);
    }
  }

  /** A reader that closes is not resumed. */
  forget(reader: PausableReader): void {
    this.paused.delete(reader);
  }

  private readonly nextTurn = (): void => {
    this.frames = 0;
    this.spent = false;
    if (this.paused.size === 0) {
      return;
    }
    const readers = [...this.paused];
    this.paused.clear();
    for (const reader of readers) {
      reader.resume();
    }
  };
}
