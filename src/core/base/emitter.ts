/** A listener registration; `dispose()` removes it (the same shape as `vscode.Disposable`). */
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (event: T) => void;

/** A typed event, shaped like `vscode.Event` so the VS Code layer can pass it through. */
export type Event<T> = (listener: Listener<T>) => Disposable;

/** Told of a listener that threw: which event it listened to, and what it threw. */
export type ListenerErrorHandler = (error: unknown, event: string) => void;

/**
 * Where a listener error goes when its emitter was given no handler: out of the event loop as an
 * uncaught exception, after the other listeners ran. Node then prints it (or a test runner fails
 * the test that caused it); swallowing it would hide a listener that stores or answers nothing.
 */
export const rethrowListenerError: ListenerErrorHandler = (error) => {
  queueMicrotask(() => {
    throw error;
  });
};

/**
 * A minimal typed event emitter for the core, which may not use `vscode.EventEmitter`.
 * A throwing listener does not stop the others; its error goes to `onListenerError` with the
 * event's name.
 */
export class Emitter<T> {
  private listeners: Listener<T>[] = [];

  constructor(
    private readonly name = 'event',
    private readonly onListenerError: ListenerErrorHandler = rethrowListenerError,
  ) {}

  readonly event: Event<T> = (listener) => {
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((candidate) => candidate !== listener);
      },
    };
  };

  fire(event: T): void {
    // Listeners are replaced, never mutated, so a listener that unsubscribes mid-loop is safe.
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, this.name);
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}
