// A connection's state as the rest of the extension reads it: apart from `nodeConnection.ts`, so that
// the wording of problems (`connectionProblems.ts`) can read it without importing the connection.

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** Why the connection is in its state, for the status bar and the log. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** A sentence for the user: what happened last. Never contains the API key. */
  readonly detail: string;
  /** Set while waiting to reconnect: when the next attempt starts (clock time). */
  readonly retryAt?: number;
  /** Retrying stopped because the node refused the API key (or its absence). */
  readonly authFailed?: boolean;
  /** Retrying stopped because the configuration cannot work (bad URL, unreadable CA file). */
  readonly configError?: boolean;
  /**
   * Set while reconnecting after the node's address refused the connection: nothing listens
   * there, most likely a node that is not started yet. Attempts go on without a status of their
   * own until one connects or fails otherwise.
   */
  readonly notRunning?: boolean;
}
