import * as l10n from '@vscode/l10n';
import type { ApiVersionSetting } from '../nodeMessage';

/** One entry of the `impervious.nodes` setting. */
export interface NodeConfig {
  readonly name: string;
  /** The subscription URL, `ws://host:port/v1/subscribe` or `wss://...`. */
  readonly url: string;
  readonly apiVersion?: ApiVersionSetting;
  /** A PEM file with the CA (or self-signed certificate) that signed a `wss` node's certificate. */
  readonly caFile?: string;
  /** TLS verification; on unless set to `false`. */
  readonly rejectUnauthorized?: boolean;
}

export const DEFAULT_NODE: NodeConfig = { name: 'Local node', url: 'ws://127.0.0.1:8882/v1/subscribe' };

export interface NodeConfigProblem {
  readonly index: number;
  readonly message: string;
}

/** Validates the raw setting: good entries are kept, each bad one is reported with why. */
export function parseNodeConfigs(raw: unknown): { nodes: NodeConfig[]; problems: NodeConfigProblem[] } {
  const nodes: NodeConfig[] = [];
  const problems: NodeConfigProblem[] = [];
  if (!Array.isArray(raw)) {
    return { nodes, problems: [{ index: -1, message: l10n.t('impervious.nodes must be an array of {0}', '{ name, url }') }] };
  }
  const names = new Set<string>();
  raw.forEach((entry: unknown, index): void => {
    const problem = (message: string): void => {
      problems.push({ index, message: l10n.t('impervious.nodes[{0}]: {1}', index, message) });
    };
    if (typeof entry !== 'object' || entry === null) {
      return problem(l10n.t('must be an object with "name" and "url"'));
    }
    const { name, url, apiVersion, caFile, rejectUnauthorized } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') {
      return problem(l10n.t('"name" must be a non-empty string'));
    }
    if (names.has(name)) {
      return problem(l10n.t('the name "{0}" is used twice', name));
    }
    const urlProblem = typeof url === 'string' ? checkSubscribeUrl(url) : l10n.t('"url" must be a string');
    if (urlProblem) {
      return problem(urlProblem);
    }
    if (apiVersion !== undefined && apiVersion !== 'auto' && apiVersion !== 'v0' && apiVersion !== 'v1') {
      return problem(l10n.t('"apiVersion" must be "auto", "v0" or "v1"'));
    }
    if (caFile !== undefined && typeof caFile !== 'string') {
      return problem(l10n.t('"caFile" must be a path'));
    }
    if (rejectUnauthorized !== undefined && typeof rejectUnauthorized !== 'boolean') {
      return problem(l10n.t('"rejectUnauthorized" must be true or false'));
    }
    names.add(name);
    nodes.push({ name, url: url as string, apiVersion, caFile, rejectUnauthorized });
  });
  return { nodes, problems };
}

/** Returns why `url` cannot be a subscription URL, or `undefined` when it can. */
export function checkSubscribeUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return l10n.t('"{0}" is not a URL', url);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    return l10n.t('"{0}" must start with ws:// or wss://', url);
  }
  if (parsed.username || parsed.password) {
    return l10n.t('the URL must not carry credentials: set an API key with "Impervious: Set API Key"');
  }
  return undefined;
}

const SUBSCRIBE_SUFFIX = /\/v1\/subscribe\/?$/;

/**
 * The REST base for a node: ws→http, wss→https, same host and port, and the same path prefix
 * (whatever stands before `/v1/subscribe`, kept as written, percent-encoding included), without a
 * trailing slash: `wss://gw.example/node1/v1/subscribe` → `https://gw.example/node1`. A key sent
 * with a REST call so goes under the path the user configured, never to the gateway's root.
 */
export function restBaseUrl(subscribeUrl: string): string {
  const parsed = new URL(subscribeUrl);
  const protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
  const prefix = parsed.pathname.replace(SUBSCRIBE_SUFFIX, '').replace(/\/+$/, '');
  return `${protocol}//${parsed.host}${prefix}`;
}

/** Loopback hosts: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * True when a key for this node would travel unencrypted (`ws://`, and so `http://` for REST) to a
 * host that is not loopback, where anyone on the path can read it.
 */
export function keyTravelsInClear(subscribeUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(subscribeUrl);
  } catch {
    return false;
  }
  return parsed.protocol === 'ws:' && !isLoopbackHost(parsed.hostname);
}

/** True when two configurations need a new connection to go from one to the other. */
export function sameConnection(a: NodeConfig, b: NodeConfig): boolean {
  return (
    a.url === b.url &&
    (a.apiVersion ?? 'auto') === (b.apiVersion ?? 'auto') &&
    a.caFile === b.caFile &&
    (a.rejectUnauthorized ?? true) === (b.rejectUnauthorized ?? true)
  );
}
