import type { Services } from '../services';
import { LazyRequestFiles } from './lazyRequestFiles';

/**
 * Request files: checks, completion, hovers, CodeLenses, run decorations and the Test Explorer.
 * Activation registers the providers, commands and test controller; the rest loads on first use.
 */
export function registerRequestFiles(services: Services): LazyRequestFiles {
  const { subscriptions, settings, dialogs, log } = services;
  const requests = new LazyRequestFiles({ subscriptions, settings, dialogs, simulatorPeers: () => services.simulator.peers }, (line) => log.error(line));
  services.register(requests);
  return requests;
}
