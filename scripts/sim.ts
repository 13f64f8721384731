// The simulated Impervious node on the command line: `npm run sim -- --port 8882 --rate 5 --seed 1`.
// The same core code runs inside the extension ("Start Simulator"), in the tests and in the benchmark.
import * as readline from 'readline';
import { parseArgs } from 'util';
import { logText } from '../src/core/text/safeText';
import { describeFaults, type SimulatorFaults } from '../src/core/simulator/faults';
import { describePeer } from '../src/core/simulator/samplePeers';
import { startSimulatedNode, type AuthFailure, type SimulatedNode } from '../src/core/simulator/simulatedNode';

const HELP = `Usage: npm run sim -- [options]

A simulated Impervious node on loopback: the /v1/subscribe websocket and POST /v1/message/send,
with sample peers and switchable faults.

Options:
  --port N            port to listen on (0 picks a free one)            [8882]
  --host H            loopback address: 127.0.0.1, ::1 or localhost      [127.0.0.1]
  --rate R            sample-peer messages per second (0: none)          [1]
  --seed S            seed for peers, traffic and IDs                    [1]
  --peers N           number of sample peers                             [6]
  --reply-delay MS    how long a peer takes to answer a REST send        [300]
  --v1                speak the v1 (DIDComm) API instead of v0.1.x
  --api-key K         require this API key (or set IMPERVIOUS_SIM_API_KEY); never logged
  --auth-failure F    how the stream refuses a bad key: http401 | error-frame  [http401]
Faults:
  --drop-every N      drop each stream after N frames (no close frame)
  --stall             keep connections open but send nothing and answer no pings
  --error-code C      end each stream with {"error":{"code":C,...}}, then drop
  --error-after N     ...after N frames of the stream                    [10]
  --error-message M   the error frame's message                         [usual text for C]
  --oversize-every N  every N-th frame is a line over 64 KiB: the stream drops
  --garbage-every N   one undecodable frame after every N good frames
  --refuse-for S      refuse connections for S seconds after starting
  --hostile           send the hostile schedule, round after round: self-replies, loops,
                      a long chain, replies to unseen IDs, duplicate and structured IDs,
                      a 20,000-deep JSON body, a body at the 64 KiB line limit, almost-JSON,
                      every Unicode plane, lone surrogates, links and newlines in senders,
                      service types and data, a 4 MiB body (the stream drops: the line limit)
                      and a stream error with a hostile message
  --hostile-interval MS  time between two hostile steps                 [250]
  --send-error M      refuse every REST send with HTTP 503 and message M
Output:
  --stats-every S     print counts every S seconds (0: never)            [10]
  --help              show this help

On a terminal, type "help" for commands that change faults while it runs.`;

const COMMANDS = `Commands:
  rate R            set the message rate        burst N           send N messages at once
  drop              drop every stream now        error C [msg]     error frame C on every stream
  refuse S          refuse connections S sec.    stall on|off      stall streams
  drop-every N      (0: off)                     garbage-every N   (0: off)
  oversize-every N  (0: off)                     error-code C|off  error-after N
  hostile on|off    the hostile schedule         send-error M|off  refuse REST sends with M
  faults            show the faults              stats             show the counts
  quit              stop`;

function main(): void {
  let values;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string', default: '8882' },
        host: { type: 'string', default: '127.0.0.1' },
        rate: { type: 'string', default: '1' },
        seed: { type: 'string', default: '1' },
        peers: { type: 'string', default: '6' },
        'reply-delay': { type: 'string', default: '300' },
        v1: { type: 'boolean', default: false },
        'api-key': { type: 'string' },
        'auth-failure': { type: 'string', default: 'http401' },
        'drop-every': { type: 'string', default: '0' },
        stall: { type: 'boolean', default: false },
        'error-code': { type: 'string' },
        'error-after': { type: 'string', default: '10' },
        'error-message': { type: 'string', default: '' },
        'oversize-every': { type: 'string', default: '0' },
        'garbage-every': { type: 'string', default: '0' },
        'refuse-for': { type: 'string', default: '0' },
        hostile: { type: 'boolean', default: false },
        'hostile-interval': { type: 'string', default: '250' },
        'send-error': { type: 'string', default: '' },
        'stats-every': { type: 'string', default: '10' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\nSee --help.`);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const authFailure = values['auth-failure'] === 'error-frame' ? 'errorFrame' : values['auth-failure'];
  if (authFailure !== 'http401' && authFailure !== 'errorFrame') {
    fail('--auth-failure must be http401 or error-frame');
  }
  const options = {
    host: values.host,
    port: whole('--port', values.port),
    rate: number('--rate', values.rate),
    seed: whole('--seed', values.seed),
    peers: whole('--peers', values.peers),
    replyDelayMs: whole('--reply-delay', values['reply-delay']),
    apiVersion: values.v1 ? ('v1' as const) : ('v0' as const),
    apiKey: values['api-key'] ?? process.env.IMPERVIOUS_SIM_API_KEY,
    authFailure: authFailure as AuthFailure,
    refuseForMs: number('--refuse-for', values['refuse-for']) * 1000,
    hostileIntervalMs: whole('--hostile-interval', values['hostile-interval']),
    faults: {
      dropEvery: whole('--drop-every', values['drop-every']),
      stall: values.stall,
      errorCode: values['error-code'] !== undefined ? whole('--error-code', values['error-code']) : undefined,
      errorAfter: whole('--error-after', values['error-after']),
      errorMessage: values['error-message'],
      oversizeEvery: whole('--oversize-every', values['oversize-every']),
      garbageEvery: whole('--garbage-every', values['garbage-every']),
      hostile: values.hostile,
      sendError: values['send-error'],
    } satisfies SimulatorFaults,
    log,
  };
  const statsEvery = number('--stats-every', values['stats-every']);
  startSimulatedNode(options).then(
    (sim) => run(sim, statsEvery),
    (error: Error) => fail(`cannot start the simulator: ${error.message}`),
  );
}

function run(sim: SimulatedNode, statsEvery: number): void {
  console.log(`Impervious node simulator (${sim.apiVersion})`);
  console.log(`  subscribe: ${sim.subscribeUrl}`);
  console.log(`  REST:      ${sim.restUrl}   (POST /v1/message/send)`);
  console.log(`  peers:     ${sim.peers.map((peer) => describePeer(peer, sim.apiVersion)).join(', ')}`);
  console.log(`  Ctrl+C to stop${process.stdin.isTTY ? '; type "help" for commands' : ''}`);

  let lastFrames = -1;
  const statsTimer =
    statsEvery > 0
      ? setInterval(() => {
          const stats = sim.stats;
          if (stats.framesSent !== lastFrames || stats.subscribers > 0) {
            lastFrames = stats.framesSent;
            log(`sent ${stats.messagesSent} messages, ${stats.framesSent} frames; ${stats.subscribers} subscribed, ${stats.connections} connections, ${stats.drops} drops, ${stats.restRequests} REST requests`);
          }
        }, statsEvery * 1000)
      : undefined;

  const input = process.stdin.isTTY ? readline.createInterface({ input: process.stdin }) : undefined;
  input?.on('line', (line) => {
    try {
      command(sim, line.trim());
    } catch (error) {
      log(`! ${(error as Error).message}`);
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`${signal}: stopping`);
    if (statsTimer) {
      clearInterval(statsTimer);
    }
    input?.close();
    // A stuck socket must not keep Ctrl+C from working.
    setTimeout(() => process.exit(1), 3000).unref();
    void sim.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  input?.on('close', () => stop('end of input'));
}

function command(sim: SimulatedNode, line: string): void {
  const [name, arg, ...rest] = line.split(/\s+/);
  const count = () => whole(name ?? '', arg ?? '', false);
  switch (name) {
    case '':
    case undefined:
      return;
    case 'help':
      return console.log(COMMANDS);
    case 'rate':
      sim.setRate(number('rate', arg ?? '', false));
      return log(`rate: ${arg} msg/s`);
    case 'burst':
      void sim.burst(count()).then((result) =>
        log(`burst: ${result.messages} messages, ${result.frames} frames in ${result.elapsedMs.toFixed(0)} ms (${Math.round((result.frames * 1000) / Math.max(1, result.elapsedMs))} frames/s)`),
      );
      return;
    case 'drop':
      return sim.dropAll();
    case 'error':
      return sim.sendError(count(), rest.join(' ') || 'transport is closing');
    case 'refuse':
      void sim.refuse(number('refuse', arg ?? '', false) * 1000);
      return;
    case 'stall':
      sim.setFaults({ stall: arg !== 'off' });
      return;
    case 'drop-every':
      sim.setFaults({ dropEvery: count() });
      return;
    case 'garbage-every':
      sim.setFaults({ garbageEvery: count() });
      return;
    case 'oversize-every':
      sim.setFaults({ oversizeEvery: count() });
      return;
    case 'error-code':
      sim.setFaults({ errorCode: arg === 'off' ? undefined : count() });
      return;
    case 'error-after':
      sim.setFaults({ errorAfter: count() });
      return;
    case 'hostile':
      sim.setFaults({ hostile: arg !== 'off' });
      return;
    case 'send-error':
      sim.setFaults({ sendError: arg === 'off' ? '' : [arg, ...rest].join(' ') });
      return;
    case 'faults':
      return log(`faults: ${describeFaults(sim.faults)}`);
    case 'stats':
      return log(JSON.stringify(sim.stats));
    case 'quit':
    case 'exit':
      process.kill(process.pid, 'SIGINT');
      return;
    default:
      throw new Error(`unknown command ${name}; type "help"`);
  }
}

/** Lines can quote what a client sent or the hostile schedule: one line each, no terminal escapes. */
function log(line: string): void {
  console.log(`${new Date().toISOString().slice(11, 23)} ${logText(line, 1000)}`);
}

function number(option: string, text: string, exit = true): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    return invalid(`${option} needs a number ≥ 0, not "${text}"`, exit);
  }
  return value;
}

function whole(option: string, text: string, exit = true): number {
  const value = number(option, text, exit);
  return Number.isInteger(value) ? value : invalid(`${option} needs a whole number, not "${text}"`, exit);
}

function invalid(message: string, exit: boolean): never {
  if (exit) {
    fail(message);
  }
  throw new Error(message);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main();
