import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SPEC_COMMANDS } from '../shared/specCommands';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));


describe('the extension manifest', () => {
  it('has the identity of SPEC.md', () => {
    assert.deepStrictEqual([manifest.publisher, manifest.name, manifest.displayName], ['imp-tools', 'impervious-events', 'Impervious Node Events']);
  });

  it('contributes every SPEC.md command under the Impervious category', () => {
    const commands = new Map<string, { category?: string; title?: string }>(manifest.contributes.commands.map((c: { command: string }) => [c.command, c]));
    for (const id of SPEC_COMMANDS) {
      assert.strictEqual(commands.get(id)?.category, 'Impervious', id);
      assert.ok(commands.get(id)?.title, `${id} has a title`);
    }
  });

  it('scopes impervious.nodes to the machine and restricts it in untrusted workspaces', () => {
    const nodes = manifest.contributes.configuration.properties['impervious.nodes'];
    assert.strictEqual(nodes.scope, 'machine');
    assert.deepStrictEqual(nodes.default, [{ name: 'Local node', url: 'ws://127.0.0.1:8882/v1/subscribe' }]);
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('impervious.nodes'));
  });

  it('has the views of SPEC.md in the impervious container, each with welcome content', () => {
    const views = manifest.contributes.views.impervious.map((view: { id: string; name: string }) => [view.id, view.name]);
    assert.deepStrictEqual(views, [['impervious.messages', 'Messages'], ['impervious.watches', 'Awaited Replies']]);
    const welcomed = new Set(manifest.contributes.viewsWelcome.map((welcome: { view: string }) => welcome.view));
    assert.ok(welcomed.has('impervious.messages') && welcomed.has('impervious.watches'));
  });

  it('has the settings of SPEC.md with their defaults', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepStrictEqual(
      ['autoConnect', 'maxMessages', 'notifications', 'groupBy', 'watchTimeoutSeconds'].map((name) => properties[`impervious.${name}`]?.default),
      [true, 5000, 'watched', 'thread', 0],
    );
  });
});
