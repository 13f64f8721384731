import type { Services } from '../services';
import { RequestFiles } from './requestFiles';

/** Request files: checks, completion, hovers, CodeLenses, run decorations and the Test Explorer. */
export function registerRequestFiles(services: Services): RequestFiles {
  const requests = new RequestFiles(services.subscriptions, services.settings, services.dialogs, () => services.simulator.peers);
  services.register(requests);
  return requests;
}
