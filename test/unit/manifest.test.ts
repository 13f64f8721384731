import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMAND_IDS_SOURCE, contributedCommandIds, parseCommandIds, registeredCommandIds } from '../shared/extensionCommands';
import { SPEC_COMMANDS } from '../shared/specCommands';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const repository = 'https://github.com/imp-tools/impervious-events';

describe('the extension manifest', () => {
  it('has the identity of SPEC.md', () => {
    assert.deepStrictEqual([manifest.publisher, manifest.name, manifest.displayName], ['imp-tools', 'impervious-events', 'Impervious Node Events']);
  });

  it('carries the metadata of a published extension', () => {
    assert.deepStrictEqual(manifest.repository, { type: 'git', url: `${repository}.git` });
    assert.deepStrictEqual(manifest.bugs, { url: `${repository}/issues` });
    assert.strictEqual(manifest.homepage, `${repository}#readme`);
    assert.strictEqual(manifest.license, 'MIT');
    assert.ok(fs.existsSync(path.resolve(__dirname, '../../..', manifest.icon)), `${manifest.icon} exists`);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme), manifest.galleryBanner.theme);
    // Marketplace categories that could fit (the simulated node and waitForReply serve tests);
    // "Other" alone lists the extension under no other one.
    const marketplaceCategories = ['Other', 'Testing', 'Visualization'];
    assert.ok(manifest.categories.includes('Other') && manifest.categories.length > 1, manifest.categories.join());
    assert.deepStrictEqual(manifest.categories.filter((category: string) => !marketplaceCategories.includes(category)), []);
    assert.ok(['impervious', 'lightning'].every((keyword) => manifest.keywords.includes(keyword)), manifest.keywords.join());
    // vsce refuses more than 30.
    assert.ok(manifest.keywords.length <= 30);
  });

  it('declares the Node.js the tools need and the oldest VS Code it runs in', () => {
    assert.strictEqual(manifest.engines.node, '>=20');
    assert.strictEqual(manifest.engines.vscode, '^1.90.0');
    // The API types must not promise more than the oldest VS Code has.
    assert.strictEqual(manifest.devDependencies['@types/vscode'], '~1.90.0');
  });

  it(`contributes exactly the commands of ${COMMAND_IDS_SOURCE}, under the Impervious category`, () => {
    const registered = registeredCommandIds();
    const contributed = contributedCommandIds(manifest);
    assert.ok(registered.includes('impervious.groupBy'), 'the enum was read');
    assert.deepStrictEqual([...contributed].sort(), [...registered].sort());
    assert.strictEqual(new Set(contributed).size, contributed.length, 'no command is contributed twice');
    for (const command of manifest.contributes.commands as { command: string; category?: string; title?: string }[]) {
      assert.strictEqual(command.category, 'Impervious', command.command);
      assert.ok(command.title, `${command.command} has a title`);
    }
  });

  it('contributes and registers every SPEC.md command', () => {
    const contributed = contributedCommandIds(manifest);
    const registered = registeredCommandIds();
    assert.deepStrictEqual(SPEC_COMMANDS.filter((id) => !contributed.includes(id) || !registered.includes(id)), []);
  });

  it('puts only contributed commands in its menus', () => {
    const contributed = new Set(contributedCommandIds(manifest));
    const menus = Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>);
    const strays = menus.flatMap(([menu, items]) => items.filter((item) => !contributed.has(item.command)).map((item) => `${menu}: ${item.command}`));
    assert.deepStrictEqual(strays, []);
  });

  it('reads the command IDs of an enum however it is laid out', () => {
    const source = [
      '/** Commands. */',
      'export const enum CommandId {',
      "  Connect = 'impervious.connect', // 'impervious.notACommand'",
      '  /* Retired = "impervious.retired", */',
      '  GroupBy =',
      '    "impervious.groupBy",',
      '}',
      "export const enum ContextKey { Connected = 'impervious.connected' }",
    ].join('\n');
    assert.deepStrictEqual(parseCommandIds(source), ['impervious.connect', 'impervious.groupBy']);
    assert.throws(() => parseCommandIds('export const commands = [];'), /no `enum CommandId/);
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
      ['autoConnect', 'maxMessages', 'maxMegabytes', 'notifications', 'groupBy', 'watchTimeoutSeconds'].map((name) => properties[`impervious.${name}`]?.default),
      [true, 5000, 32, 'watched', 'thread', 0],
    );
  });

  it('keeps the settings that shrink or reveal held messages out of a workspace\'s reach', () => {
    const properties = manifest.contributes.configuration.properties;
    // The journal is profile-wide: no workspace may shrink it.
    assert.deepStrictEqual(['maxMessages', 'maxMegabytes'].map((name) => properties[`impervious.${name}`]?.scope), ['machine', 'machine']);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('impervious.notifications'));
  });
});
