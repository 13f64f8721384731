/** A listener registration; `dispose()` removes it (the same shape as `vscode.Disposable`). */
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (event: T) => void;

/** A typed event, shaped like `vscode.Event` so the VS Code layer can pass it through. */
export type Event<T> = (listener: Listener<T>) => Disposable;

/**
 * A minimal typed event emitter for the core, which may not use `vscode.EventEmitter`.
 * A throwing listener does not stop the others; its error goes to `onListenerError`.
 */
export class Emitter<T> {
  private listeners: Listener<T>[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

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
        this.onListenerError(error);
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}
