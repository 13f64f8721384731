import * as vscode from 'vscode';
import { API_KEY_SECRET_PREFIX as PREFIX } from '../contributionIds';

/** API keys per node, in VS Code's SecretStorage: never a setting, never logged. */
export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(node: string): Thenable<string | undefined> {
    return this.secrets.get(PREFIX + node);
  }

  async getAll(nodes: readonly string[]): Promise<Map<string, string | undefined>> {
    const keys = await Promise.all(nodes.map((node) => this.get(node)));
    return new Map(nodes.map((node, index) => [node, keys[index] || undefined]));
  }

  async set(node: string, key: string | undefined): Promise<void> {
    if (key) {
      await this.secrets.store(PREFIX + node, key);
    } else {
      await this.secrets.delete(PREFIX + node);
    }
  }

  onDidChange(listener: (node: string) => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key.startsWith(PREFIX)) {
        listener(event.key.slice(PREFIX.length));
      }
    });
  }
}
