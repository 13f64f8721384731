// One of the fresh launches behind the VS Code section's activate() row (scripts/bench-vscode.mjs
// picks this suite by its title): a fresh profile, set up as the burst launch's, whose first
// activation this reports. activate() times itself (`internals.activationMs`, from its start to
// its return), so it does not matter when the extension host ran it: at start-up, or when the
// runner asked.
//
//   IMPERVIOUS_BENCH_DIR  where this writes `activation.json` (ActivationFigures)
import * as assert from 'assert';
import * as path from 'path';
import { activateExtension, waitUntil } from '../harness';
import { requiredEnv, writeAtomically } from './measure';

export interface ActivationFigures {
  readonly activationMs: number;
}

describe('bench: activation on a fresh profile', () => {
  it('reports how long the first activate() took', async () => {
    const dir = requiredEnv('IMPERVIOUS_BENCH_DIR');
    const api = await activateExtension();
    const figures: ActivationFigures = { activationMs: api.internals.activationMs };
    writeAtomically(path.join(dir, 'activation.json'), JSON.stringify(figures));
    // The launch was a working one: the extension went on to connect to the harness's node.
    await waitUntil(() => api.connectionState() === 'connected', "the extension to connect to the harness's simulated node", 60_000);
    assert.ok(figures.activationMs > 0);
  });
});
