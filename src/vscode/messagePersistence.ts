import * as path from 'path';
import * as vscode from 'vscode';
import { MessageJournal } from '../core/messageJournal';
import type { NodeHub } from '../core/nodeHub';
import { RefreshCoalescer } from '../core/refreshCoalescer';
import type { WatchRecord } from '../core/watches';
import { Disposable } from './disposable';
import type { Log } from './log';

const WATCHES_KEY = 'impervious.watches';

/**
 * Keeps held messages (a journal in global storage, bounded by `maxMessages`) and watches
 * (workspace state) across window reloads. Writes are batched: at most one append a second.
 */
export class MessagePersistence extends Disposable {
  private readonly journal: MessageJournal;
  private readonly messageWriter: RefreshCoalescer;
  private readonly watchWriter: RefreshCoalescer;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly hub: NodeHub,
    private readonly maxMessages: () => number,
    private readonly log: Log,
  ) {
    super();
    this.journal = new MessageJournal(path.join(context.globalStorageUri.fsPath, 'messages.ndjson'), maxMessages, (error) =>
      log.error(`Could not write held messages to ${context.globalStorageUri.fsPath}: ${error.message}`),
    );
    this.messageWriter = new RefreshCoalescer(() => void this.flushMessages(), 1000);
    this.watchWriter = new RefreshCoalescer(() => void this.saveWatches(), 500);
    this.register({ dispose: () => this.messageWriter.dispose() });
    this.register({ dispose: () => this.watchWriter.dispose() });
  }

  /** Where held messages are written. */
  get journalFile(): string {
    return this.journal.file;
  }

  /** Loads what the last session held; a damaged file is set aside and never stops activation. */
  restore(): void {
    const loaded = this.journal.load(this.maxMessages());
    this.hub.restore(loaded.messages);
    if (loaded.setAside) {
      this.log.warn(`The held-messages file was damaged; it was moved to ${loaded.setAside} and ${loaded.messages.length} messages were recovered.`);
    } else if (loaded.skipped > 0) {
      this.log.info(`Skipped ${loaded.skipped} unreadable record(s) at the end of the held-messages file.`);
    }
    const records = this.context.workspaceState.get<WatchRecord[]>(WATCHES_KEY, []);
    this.hub.watches.restore(Array.isArray(records) ? records : [], (node, id) => this.hub.find(id, node));
    if (loaded.messages.length > 0) {
      this.log.info(`Restored ${loaded.messages.length} held messages and ${this.hub.watches.list().length} watches.`);
    }
    this.register(this.hub.onDidReceiveMessage((message) => {
      this.journal.append(message);
      this.messageWriter.schedule();
    }));
    this.register(this.hub.onDidClear(() => void this.journal.clear()));
    this.register(this.hub.watches.onDidChange(() => this.watchWriter.schedule()));
  }

  flushMessages(): Promise<void> {
    return this.journal.flush(() => this.hub.messages());
  }

  saveWatches(): Thenable<void> {
    return this.context.workspaceState.update(WATCHES_KEY, this.hub.watches.toRecords());
  }

  /** Everything pending, written before the extension host goes away. */
  async flushAll(): Promise<void> {
    this.messageWriter.dispose();
    this.watchWriter.dispose();
    await Promise.all([this.flushMessages(), this.saveWatches()]);
  }
}
