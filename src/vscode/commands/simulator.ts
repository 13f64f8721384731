import * as vscode from 'vscode';
import { CommandId, ContextKey, ViewCommand } from '../ids';
import type { CommandServices, CommandTable } from './services';

/** Starting and stopping the simulated node inside the extension host. */
export function simulatorCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.StartSimulator, () => startSimulator(services)],
    [CommandId.StopSimulator, () => stopSimulator(services)],
  ];
}

/** Resolves with the simulator's subscribe URL once its node is in the node set and connecting. */
async function startSimulator({ simulator, applyNodes, hub, log }: CommandServices): Promise<string> {
  const instance = await simulator.start();
  await vscode.commands.executeCommand('setContext', ContextKey.SimulatorRunning, true);
  log.info(`Simulated node listening at ${instance.subscribeUrl} (REST ${instance.restUrl}).`);
  await applyNodes();
  hub.connect(simulator.node!.name);
  void simulator.greet().catch(() => undefined);
  void vscode.commands.executeCommand(ViewCommand.FocusMessages);
  return instance.subscribeUrl;
}

async function stopSimulator({ simulator, applyNodes, log }: CommandServices): Promise<void> {
  await simulator.stop();
  await vscode.commands.executeCommand('setContext', ContextKey.SimulatorRunning, false);
  await applyNodes();
  log.info('Simulated node stopped.');
}
