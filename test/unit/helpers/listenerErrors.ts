import * as assert from 'assert';
import type { ListenerErrorHandler } from '../../../src/core/base/emitter';

/** Collects the errors of listeners that threw, for a suite that must fail on any of them. */
export class ListenerErrors {
  readonly seen: string[] = [];
  readonly handler: ListenerErrorHandler = (error, event) => {
    this.seen.push(`${event}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };

  assertNone(): void {
    assert.deepStrictEqual(this.seen.splice(0), [], 'no listener threw');
  }
}
