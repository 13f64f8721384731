// The VS Code settings an integration run starts with, for code-server and desktop VS Code alike.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// Quiet and loopback-only: no telemetry, no marketplace, update or experiment requests, no
// welcome page, chat or git competing with the suites for the extension host.
export const baseSettings = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  // The empty chat pane would take a third of the window (and of every screenshot).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'security.workspace.trust.enabled': false,
};

/**
 * Workspace trust on, with no prompt at startup: a folder the user never trusted opens in
 * restricted mode, as a freshly cloned repository does.
 */
export const restrictedModeSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
};

/**
 * The base settings, overridden by IMPERVIOUS_TEST_SETTINGS: inline JSON (`{"impervious.autoConnect": false}`)
 * or the path of a JSON file.
 */
export function runSettings(env = process.env) {
  const value = env.IMPERVIOUS_TEST_SETTINGS;
  if (!value) return baseSettings;
  const text = value.trimStart().startsWith('{') ? value : readFileSync(value, 'utf8');
  return { ...baseSettings, ...JSON.parse(text) };
}

/**
 * Writes `settings` as the user's settings.json in `userDataDir`, and the extension's
 * machine-scoped ones (`impervious.nodes`) also as the remote machine's settings: code-server's
 * workbench is a remote window, which ignores machine-scoped settings in the user's file and reads
 * them from `Machine/` on the server. Desktop VS Code reads only `User/`.
 */
export function writeSettings(userDataDir, settings) {
  const machineKeys = machineScopedSettings();
  const files = {
    User: settings,
    Machine: Object.fromEntries(Object.entries(settings).filter(([key]) => machineKeys.has(key))),
  };
  for (const [scope, content] of Object.entries(files)) {
    mkdirSync(path.join(userDataDir, scope), { recursive: true });
    writeFileSync(path.join(userDataDir, scope, 'settings.json'), JSON.stringify(content, null, 2));
  }
}

function machineScopedSettings() {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const properties = manifest.contributes?.configuration?.properties ?? {};
  return new Set(Object.keys(properties).filter((key) => ['machine', 'machine-overridable'].includes(properties[key].scope)));
}

/** Settings that connect the extension to one node (a simulated one, in the scripts). */
export function nodeSettings(name, subscribeUrl) {
  return { 'impervious.nodes': [{ name, url: subscribeUrl }], 'impervious.autoConnect': true };
}
