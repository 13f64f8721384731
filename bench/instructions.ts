// Instructions a frame costs below the socket, counted by valgrind: deterministic where CPU time on
// a small shared machine is not, so an A/B of a change to the receive pipeline reads the same every
// run. `node out/bench/instructions.js` (needs `valgrind`, a Debian package): ours (the pipeline as
// section 1 runs it, without `ws`) and the baseline (`toString` + `JSON.parse`) over the bench mix.
// Each is run for 30,000 and 90,000 frames, with `--single-threaded` (no compiler or GC threads, so
// the count does not depend on their timing); the difference over 60,000 frames leaves out start-up
// and compiling. What it cannot show: the cost of Node's builtins per instruction (a C++ builtin
// such as `new DataView` takes more time per instruction than JITted code), so confirm a change in
// section 1 too.
import { spawn } from 'child_process';
import { EventEmitter } from 'events';
import type WebSocket from 'ws';
import { NodeSubscriptions } from '../src/core/nodeSubscriptions';
import { benchFrames } from './sections/decode';
import { messageId } from './frameMix';

type Kind = 'ours' | 'baseline';
const SHORT = 30_000;
const LONG = 90_000;
const SALT = 'instructions';

/** A socket that hands over the frames it is given as `ws` would, with nothing under it: a fake, as nothing real can be counted alone. */
class FakeSocket extends EventEmitter {
  readonly readyState = 1;
  pause(): void {}
  resume(): void {}
  ping(): void {}
  terminate(): void {}
}

function frames(count: number): Buffer[] {
  const distinct = benchFrames(20_000, SALT);
  return Array.from({ length: count }, (_, index) => distinct[index % distinct.length] as Buffer);
}

/** Runs `count` frames through one receiver, as the counted process. */
function run(kind: Kind, count: number): void {
  const input = frames(count);
  let sink = 0;
  if (kind === 'baseline') {
    const socket = new FakeSocket();
    socket.on('message', (data: Buffer) => {
      sink += (JSON.parse(data.toString()) as { result: { id: string } }).result.id.length;
    });
    input.forEach((frame) => socket.emit('message', frame, false));
  } else {
    let socket: FakeSocket | undefined;
    const subscriptions = new NodeSubscriptions({
      maxMessages: 5000,
      connection: { socketFactory: () => (socket = new FakeSocket()) as unknown as WebSocket },
    });
    subscriptions.setNodes([{ name: 'bench', url: 'ws://127.0.0.1:1/v1/subscribe' }], new Map());
    subscriptions.connect();
    socket?.emit('open');
    // As section 1: 90 watches on IDs that never come, 10 on IDs the frames carry, one listener.
    for (let i = 0; i < 100; i++) {
      subscriptions.watches.watch(i < 90 ? messageId(i, `${SALT}-never`) : messageId((i - 90) * 2000 + 1000, SALT), { visible: false });
    }
    subscriptions.onDidReceiveMessage((message) => (sink += message.id.length));
    input.forEach((frame) => socket?.emit('message', frame, false));
    subscriptions.dispose();
  }
  if (sink === 0) {
    throw new Error('no frame was received');
  }
}

/** Instructions valgrind counted for a process running `count` frames. */
function counted(kind: Kind, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', __filename, kind, String(count)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`valgrind did not start (apt-get install -y valgrind): ${error.message}`)));
    child.on('exit', (code) => {
      const match = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (code !== 0 || !match) {
        reject(new Error(`valgrind exited ${code}: ${stderr.slice(-500)}`));
      } else {
        resolve(Number((match[1] as string).replace(/,/g, '')));
      }
    });
  });
}

async function main(): Promise<void> {
  const [kind, count] = process.argv.slice(2);
  if (kind === 'ours' || kind === 'baseline') {
    run(kind, Number(count));
    return;
  }
  const perFrame: Record<Kind, number> = { ours: 0, baseline: 0 };
  for (const which of ['baseline', 'ours'] as const) {
    const [short, long] = await Promise.all([counted(which, SHORT), counted(which, LONG)]);
    perFrame[which] = (long - short) / (LONG - SHORT);
    console.log(`${which.padEnd(8)} ${Math.round(perFrame[which]).toLocaleString('en-US')} instructions a frame`);
  }
  console.log(`ours / baseline ${(perFrame.ours / perFrame.baseline).toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
