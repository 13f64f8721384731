import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMAND_IDS_SOURCE, contributedCommandIds, parseCommandIds, registeredCommandIds } from '../../shared/extensionCommands';
import { SPEC_COMMANDS } from '../../shared/specCommands';

const root = path.resolve(__dirname, '../../../..');
const rawManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const repository = 'https://github.com/imp-tools/impervious-events';

/** Keys whose string values people read: each must be a `%key%` of package.nls.json. */
const USER_FACING = new Set([
  'displayName',
  'description',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'errorMessage',
  'title',
  'shortTitle',
  'category',
  'name',
  'contextualTitle',
  'contents',
  'label',
  'altText',
]);
/** Values, not words: a setting's default, its enum values, examples and a schema's required keys. */
const VALUES = new Set(['default', 'enum', 'examples', 'required', 'when', 'command', 'id', 'icon', 'view']);
const NLS_KEY = /^%([^%]+)%$/;

function resolveNls(value: unknown): unknown {
  if (typeof value === 'string') {
    const key = NLS_KEY.exec(value)?.[1];
    return key !== undefined && key in nls ? nls[key] : value;
  }
  if (Array.isArray(value)) {
    return value.map(resolveNls);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolveNls(inner)]));
  }
  return value;
}

/** The manifest as VS Code shows it in English: every `%key%` replaced from package.nls.json. */
const manifest = resolveNls(rawManifest) as typeof rawManifest;

/** Every string under a user-facing key, with its path: `contributes.commands[3].title`. */
function userFacingStrings(value: unknown, where: string, facing = false): [string, string][] {
  if (typeof value === 'string') {
    return facing ? [[where, value]] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((inner, index) => userFacingStrings(inner, `${where}[${index}]`, facing));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (VALUES.has(key) ? [] : userFacingStrings(inner, `${where}.${key}`, USER_FACING.has(key))));
  }
  return [];
}

/** Every `%key%` anywhere in the manifest. */
function nlsKeys(value: unknown): string[] {
  if (typeof value === 'string') {
    const key = NLS_KEY.exec(value)?.[1];
    return key === undefined ? [] : [key];
  }
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(nlsKeys);
  }
  return [];
}

describe('the extension manifest', () => {
  it('localizes every contributed string through package.nls.json', () => {
    // The extension's own name is its ID, not words; the top level has only these two strings to read.
    const strings = [
      ...userFacingStrings({ displayName: rawManifest.displayName, description: rawManifest.description }, 'manifest'),
      ...userFacingStrings(rawManifest.contributes, 'contributes'),
      ...userFacingStrings(rawManifest.capabilities, 'capabilities'),
    ];
    assert.ok(strings.length > 50, `${strings.length} strings found`);
    assert.deepStrictEqual(strings.filter(([, value]) => !NLS_KEY.test(value)).map(([where, value]) => `${where}: ${value}`), []);
  });

  it('resolves every %key% of the manifest, and package.nls.json holds no other', () => {
    const used = nlsKeys(rawManifest);
    assert.deepStrictEqual(used.filter((key) => typeof nls[key] !== 'string' || nls[key] === ''), []);
    assert.deepStrictEqual(Object.keys(nls).filter((key) => !used.includes(key)), []);
  });

  it('catches a string left unlocalized and a key that resolves to nothing', () => {
    const contributes = { commands: [{ command: 'impervious.x', title: 'Plain', category: '%command.category%' }], views: { v: [{ id: 'v', name: '%view.nowhere%' }] } };
    assert.deepStrictEqual(userFacingStrings(contributes, 'c').filter(([, value]) => !NLS_KEY.test(value)), [['c.commands[0].title', 'Plain']]);
    assert.deepStrictEqual(nlsKeys(contributes).filter((key) => !(key in nls)), ['view.nowhere']);
  });

  it('runs as a workspace extension and ships its runtime strings\' English bundle', () => {
    // Remote-SSH, dev containers, WSL: the node is reached from the machine the workspace is on.
    assert.deepStrictEqual(rawManifest.extensionKind, ['workspace']);
    assert.strictEqual(rawManifest.l10n, './l10n');
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8'));
    assert.ok(Object.keys(bundle).length > 0);
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!package.nls.json') && ignore.includes('!l10n/bundle.l10n.json'), 'both go into the VSIX');
  });

  it('has the identity of SPEC.md', () => {
    assert.deepStrictEqual([manifest.publisher, manifest.name, manifest.displayName], ['imp-tools', 'impervious-events', 'Impervious Node Events']);
  });

  it('carries the metadata of a published extension', () => {
    assert.deepStrictEqual(manifest.repository, { type: 'git', url: `${repository}.git` });
    assert.deepStrictEqual(manifest.bugs, { url: `${repository}/issues` });
    assert.strictEqual(manifest.homepage, `${repository}#readme`);
    assert.strictEqual(manifest.license, 'MIT');
    assert.ok(fs.existsSync(path.resolve(__dirname, '../../../..', manifest.icon)), `${manifest.icon} exists`);
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
      ['autoConnect', 'maxMessages', 'maxMegabytes', 'notifications', 'groupBy', 'watchTimeoutSeconds', 'spendLimitSats'].map((name) => properties[`impervious.${name}`]?.default),
      [true, 5000, 32, 'watched', 'thread', 0, 100],
    );
  });

  it('keeps the settings that shrink or reveal held messages out of a workspace\'s reach', () => {
    const properties = manifest.contributes.configuration.properties;
    // The journal is profile-wide: no workspace may shrink it.
    assert.deepStrictEqual(['maxMessages', 'maxMegabytes'].map((name) => properties[`impervious.${name}`]?.scope), ['machine', 'machine']);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('impervious.notifications'));
  });

  it('keeps what a run may spend without a question out of a workspace\'s reach', () => {
    const spendLimit = manifest.contributes.configuration.properties['impervious.spendLimitSats'];
    assert.strictEqual(spendLimit.scope, 'machine');
    assert.strictEqual(spendLimit.minimum, 0);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('impervious.spendLimitSats'));
  });
});
