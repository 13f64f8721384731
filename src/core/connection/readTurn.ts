/**
 * Frames handled before the sockets pause until the event loop's next turn. A busy socket hands
 * over up to 32 reads of 64 KiB in one go: ten thousand frames, 100 ms in VS Code's extension
 * host, where timers, other extensions and the views wait meanwhile. 512 frames take about 5 ms.
 */
const FRAMES_PER_TURN = 512;

/** What `ReadTurn` pauses: a socket's reading (ws's `pause` and `resume`). */
export interface PausableReader {
  pause(): void;
  resume(): void;
}

/**
 * The frames every connection of a window handles between two yields, counted together: ten busy
 * nodes get the same share of a turn of the event loop as one, not ten times as much. When the
 * count reaches `framesPerTurn`, each reader that hands over a frame pauses (the frames it has
 * already read still come), and all of them resume at the next turn.
 */
export class ReadTurn {
  private frames = 0;
  private readonly paused = new Set<PausableReader>();
  private resumeScheduled = false;

  constructor(readonly framesPerTurn = FRAMES_PER_TURN) {}

  /** Counts one frame from `reader`, and pauses it when this turn's share is spent. */
  frame(reader: PausableReader): void {
    if (++this.frames < this.framesPerTurn || this.paused.has(reader)) {
      return;
    }
    reader.pause();
    this.paused.add(reader);
    if (!this.resumeScheduled) {
      this.resumeScheduled = true;
      setImmediate(this.resumeAll);
    }
  }

  /** A reader that closes is not resumed. */
  forget(reader: PausableReader): void {
    this.paused.delete(reader);
  }

  private readonly resumeAll = (): void => {
    this.resumeScheduled = false;
    this.frames = 0;
    const readers = [...this.paused];
    this.paused.clear();
    for (const reader of readers) {
      reader.resume();
    }
  };
}
