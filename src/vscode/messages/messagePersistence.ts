import * as path from 'path';
import * as vscode from 'vscode';
import { MessageJournal, type JournalBounds, type JournalProblem } from '../../core/journal/messageJournal';
import type { NodeMessage } from '../../core/nodeMessage';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { runInTurns, type Steps } from '../../core/base/steps';
import { Throttle } from '../../core/base/throttle';
import { SnapshotFile } from '../../core/journal/snapshotFile';
import type { WatchRecord } from '../../core/watches/watches';
import { DisposableStore } from '../base/disposableStore';
import type { Log } from '../services/log';

/** Restored messages are held this many at a time, a step of `runInTurns`. */
const RESTORE_STEP_MESSAGES = 256;

/** What a journal problem of each kind means, for the log. */
function problemText(kind: JournalProblem): string {
  switch (kind) {
    case 'read':
      return vscode.l10n.t('Could not read the held messages');
    case 'append':
      return vscode.l10n.t('Could not write held messages');
    case 'compact':
      return vscode.l10n.t('Could not compact the held-messages file (the messages were written)');
    case 'lock':
      return vscode.l10n.t('Could not get the held-messages file from another window in time (the messages wait for the next write)');
  }
}

/**
 * Keeps held messages (a journal in global storage, shared by the profile's windows, bounded like
 * the held messages) and watches (a file in the workspace's storage) across window reloads. Writes are batched: at most one a second.
 * Watches are a file rather than `workspaceState` because VS Code cancels state writes made in
 * `deactivate()`, and the last change before a reload must survive it.
 */
export class MessagePersistence extends DisposableStore {
  private readonly journal: MessageJournal;
  private readonly watchFile: SnapshotFile<WatchRecord[]>;
  private readonly messageThrottle: Throttle;
  private readonly watchThrottle: Throttle;
  /** Until the watches file is read back, nothing may be saved over it. */
  private restoring = true;

  constructor(
    context: vscode.ExtensionContext,
    private readonly subscriptions: NodeSubscriptions,
    bounds: () => JournalBounds,
    private readonly log: Log,
  ) {
    super();
    this.journal = new MessageJournal(path.join(context.globalStorageUri.fsPath, 'messages.ndjson'), bounds, (kind, error, count) =>
      log.error(
        count > 1
          ? vscode.l10n.t('{0} ({1}): {2} ({3} times so far)', problemText(kind), context.globalStorageUri.fsPath, error.message, count)
          : vscode.l10n.t('{0} ({1}): {2}', problemText(kind), context.globalStorageUri.fsPath, error.message),
      ),
    );
    this.watchFile = new SnapshotFile(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'watches.json'));
    this.messageThrottle = new Throttle(() => void this.flushMessages(), 1000);
    this.watchThrottle = new Throttle(() => this.saveWatches(), 500);
    this.register(this.messageThrottle);
    this.register(this.watchThrottle);
  }

  /**
   * Brings back what the last session held, then the watches; resolves once done. The journal is
   * read and its messages held in turns of the event loop (ten full nodes take most of a second),
   * so activation and the window never wait for it; connecting does (`NodeReconciler`), so a
   * message that arrives is always newer than those restored. A damaged file is set aside and
   * never stops activation. Clearing the held messages meanwhile ends the restore.
   */
  async restore(): Promise<void> {
    let cleared = false;
    this.register(
      this.subscriptions.onDidClear(() => {
        cleared = true;
        void this.journal.clear();
      }),
    );
    // A watch added meanwhile is saved once the file's are back with it, not over them.
    let watchesChanged = false;
    this.register(
      this.subscriptions.watches.onDidChange(() => {
        if (this.restoring) {
          watchesChanged = true;
        } else {
          this.watchThrottle.schedule();
        }
      }),
    );
    // Not a step of it inside activate(): the first turn of the read comes after it returns.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const loaded = await this.journal.loadInTurns();
    const restored = await runInTurns(holdSteps(this.subscriptions, loaded.messages, () => cleared));
    if (loaded.setAside) {
      this.log.warn(vscode.l10n.t('The held-messages file was damaged; it was moved to {0} and {1} messages were recovered.', loaded.setAside, loaded.messages.length));
    } else if (loaded.skipped > 0) {
      this.log.info(vscode.l10n.t('Skipped {0} record(s) of the held-messages file that a crash cut short.', loaded.skipped));
    }
    const watches = this.watchFile.load();
    if (watches.setAside) {
      this.log.warn(vscode.l10n.t('The watches file was damaged; it was moved to {0}.', watches.setAside));
    }
    const records = Array.isArray(watches.value) ? watches.value : [];
    const changedMeanwhile = watchesChanged;
    this.subscriptions.watches.restore(records, (node, id) => this.subscriptions.find(id, node));
    if (restored > 0) {
      this.log.info(vscode.l10n.t('Restored {0} held messages and {1} watches.', restored, this.subscriptions.watches.list().length));
    }
    this.register(this.subscriptions.onDidReceiveMessage((message) => {
      // Copied from the node's store, where it was just held, rather than written from the object again.
      const store = this.subscriptions.store(message.node);
      this.journal.append(message, store, store.newestSequenceOf(message));
      this.messageThrottle.schedule();
    }));
    this.restoring = false;
    if (changedMeanwhile) {
      this.watchThrottle.schedule();
    }
  }

  private flushMessages(): Promise<void> {
    return this.journal.flush();
  }

  private saveWatches(): void {
    try {
      this.watchFile.save(this.subscriptions.watches.toRecords());
    } catch (error) {
      this.log.error(vscode.l10n.t('Could not save the watches to {0}: {1}', this.watchFile.file, (error as Error).message));
    }
  }

  /** Everything pending, written before the extension host goes away. */
  async flushAll(): Promise<void> {
    this.messageThrottle.dispose();
    this.watchThrottle.dispose();
    if (!this.restoring) {
      this.saveWatches();
    }
    await this.flushMessages();
  }
}

/** Messages restored a step at a time; stops when `stopped()` says so. Returns how many were held. */
function* holdSteps(subscriptions: NodeSubscriptions, messages: readonly NodeMessage[], stopped: () => boolean): Steps<number> {
  let held = 0;
  while (held < messages.length && !stopped()) {
    subscriptions.restore(messages.slice(held, held + RESTORE_STEP_MESSAGES));
    held = Math.min(messages.length, held + RESTORE_STEP_MESSAGES);
    yield;
  }
  return held;
}
