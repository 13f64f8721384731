import * as vscode from 'vscode';
import { NO_FAULTS, type SimulatorFaults } from '../../core/simulator/faults';
import { FORGED_LOG_LINE, HOSTILE_COMMAND_LINK } from '../../core/simulator/hostileText';
import { CommandId, ContextKey, ViewCommand } from '../contributionIds';
import type { SimulatorControl } from '../nodes/simulatorControl';
import type { CommandServices, CommandTable } from './services';

/** Starting and stopping the simulated node inside the extension host, and switching its faults. */
export function simulatorCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.StartSimulator, () => startSimulator(services)],
    [CommandId.StopSimulator, () => stopSimulator(services)],
    [CommandId.SimulatorFaults, (fault?: string) => simulatorFaults(services, fault)],
  ];
}

/** Resolves with the simulator's subscribe URL once its node is in the node set and connecting. */
async function startSimulator({ simulator, applyNodes, subscriptions, log }: CommandServices): Promise<string> {
  const instance = await simulator.start();
  await vscode.commands.executeCommand('setContext', ContextKey.SimulatorRunning, true);
  log.info(vscode.l10n.t('Simulated node listening at {0} (REST {1}).', instance.subscribeUrl, instance.restUrl));
  await applyNodes();
  subscriptions.connect(simulator.node!.name);
  void simulator.greet().catch(() => undefined);
  void vscode.commands.executeCommand(ViewCommand.FocusMessages);
  return instance.subscribeUrl;
}

async function stopSimulator({ simulator, applyNodes, log }: CommandServices): Promise<void> {
  await simulator.stop();
  await vscode.commands.executeCommand('setContext', ContextKey.SimulatorRunning, false);
  await applyNodes();
  log.info(vscode.l10n.t('Simulated node stopped.'));
}

/** An entry of the fault menu; `key` is what the command takes as its argument instead of asking. */
interface FaultChoice extends vscode.QuickPickItem {
  readonly key: string;
  readonly apply: (simulator: SimulatorControl) => void;
}

const HOSTILE_SEND_ERROR = `route failed: ${HOSTILE_COMMAND_LINK.replace('Fix Now', 'Open Fix')}\n${FORGED_LOG_LINE}`;
const HOSTILE_AUTH_ERROR = `key expired: ${HOSTILE_COMMAND_LINK.replace('Fix Now', 'Re-authenticate')}`;

function faultChoices(faults: SimulatorFaults): FaultChoice[] {
  const toggle = (on: boolean) => (on ? vscode.l10n.t('on: choose to switch off') : vscode.l10n.t('off'));
  return [
    {
      key: 'hostile',
      label: `$(flame) ${vscode.l10n.t('Hostile traffic')}`,
      description: toggle(faults.hostile),
      detail: vscode.l10n.t('Loops, long chains, odd IDs, deep and huge bodies, every Unicode plane, links and newlines in every field, hostile stream errors'),
      apply: (simulator) => simulator.setFaults({ hostile: !faults.hostile }),
    },
    {
      key: 'sendError',
      label: `$(error) ${vscode.l10n.t('Refuse sends with a hostile error')}`,
      description: toggle(faults.sendError !== ''),
      apply: (simulator) => simulator.setFaults({ sendError: faults.sendError ? '' : HOSTILE_SEND_ERROR }),
    },
    {
      key: 'streamError',
      label: `$(debug-disconnect) ${vscode.l10n.t('End the stream with a hostile error (code 14)')}`,
      apply: (simulator) => simulator.sendError(14, HOSTILE_SEND_ERROR),
    },
    {
      key: 'authError',
      label: `$(lock) ${vscode.l10n.t('End the stream with a hostile auth error (code 16)')}`,
      description: vscode.l10n.t('the extension stops reconnecting until you connect again'),
      apply: (simulator) => simulator.sendError(16, HOSTILE_AUTH_ERROR),
    },
    { key: 'drop', label: `$(close) ${vscode.l10n.t('Drop the stream now')}`, apply: (simulator) => simulator.dropAll() },
    {
      key: 'garbage',
      label: `$(question) ${vscode.l10n.t('Undecodable frames')}`,
      description: toggle(faults.garbageEvery > 0),
      apply: (simulator) => simulator.setFaults({ garbageEvery: faults.garbageEvery > 0 ? 0 : 5 }),
    },
    {
      key: 'oversize',
      label: `$(arrow-both) ${vscode.l10n.t('A line over 64 KiB every 50 frames')}`,
      description: toggle(faults.oversizeEvery > 0),
      apply: (simulator) => simulator.setFaults({ oversizeEvery: faults.oversizeEvery > 0 ? 0 : 50 }),
    },
    {
      key: 'stall',
      label: `$(debug-pause) ${vscode.l10n.t('Stall: send nothing, answer no pings')}`,
      description: toggle(faults.stall),
      apply: (simulator) => simulator.setFaults({ stall: !faults.stall }),
    },
    { key: 'none', label: `$(check) ${vscode.l10n.t('No faults')}`, apply: (simulator) => simulator.setFaults(NO_FAULTS) },
  ];
}

/**
 * The simulated node's fault menu: switches a fault on or off, or sends a one-off (an error, a
 * drop). With a fault's key as the argument it applies that one without asking. Resolves with the
 * faults now in force.
 */
async function simulatorFaults({ dialogs, simulator }: CommandServices, fault?: string): Promise<SimulatorFaults | undefined> {
  const faults = simulator.faults;
  if (!faults) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The simulated node is not running: start it first.'));
    return undefined;
  }
  const choices = faultChoices(faults);
  const choice =
    typeof fault === 'string'
      ? choices.find((candidate) => candidate.key === fault)
      : await dialogs.showQuickPick(choices, { title: vscode.l10n.t('Simulated Node Faults'), placeHolder: vscode.l10n.t('Switch a fault on or off') });
  if (typeof fault === 'string' && !choice) {
    throw new Error(vscode.l10n.t('No simulator fault is called {0}; try one of: {1}.', fault.slice(0, 40), choices.map((candidate) => candidate.key).join(', ')));
  }
  choice?.apply(simulator);
  return simulator.faults;
}
