// The VS Code settings an integration run starts with, for code-server and desktop VS Code alike.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// Quiet and loopback-only: no telemetry, no marketplace, update or experiment requests, no
// welcome page, chat or git competing with the suites for the extension host.
const baseSettings = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'security.workspace.trust.enabled': false,
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

/** Writes `settings` as the user's settings.json in `userDataDir` (also code-server's). */
export function writeSettings(userDataDir, settings) {
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}
