// Starting a program and later ending it with every process it started.
// code-server starts an extension host, file watchers, a pty host and an agent host in its own
// process group, but a few helpers start their own session (terminals from node-pty, a login shell
// that reads the user's environment), and Chromium's crash handler detaches from its parent.
// Ending the run therefore signals the process group of every process in the server's tree, then
// sweeps for anything still using the run's folder. Linux only: it reads /proc.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Starts `command` as the leader of a new process group, output appended to `logFd`.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ env: NodeJS.ProcessEnv, cwd: string, logFd: number }} options
 */
export function spawnGroup(command, args, { env, cwd, logFd }) {
  return spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', logFd, logFd] });
}

/** SIGTERM to every group in `rootPid`'s tree, SIGKILL after `graceMs` to what is left. */
export async function endTree(rootPid, graceMs = 3000) {
  const groups = groupsOfTree(rootPid);
  signalGroups(groups, 'SIGTERM');
  if (await waitUntilGone(groups, graceMs)) return;
  // Anything the tree started meanwhile is in the tree or in a group already known.
  const remaining = new Set([...groups, ...groupsOfTree(rootPid)]);
  signalGroups(remaining, 'SIGKILL');
  if (!(await waitUntilGone(remaining, 2000))) {
    throw new Error(`Processes of groups ${[...remaining].join(', ')} survived SIGKILL.`);
  }
}

/** Synchronous last resort, for the `exit` event where nothing can be awaited. */
export function killTreeNow(rootPid) {
  signalGroups(groupsOfTree(rootPid), 'SIGKILL');
}

/**
 * Kills every process whose command line names `dir` or whose working directory is inside it,
 * and returns their descriptions, so that what escaped the tree can be reported.
 */
export function killProcessesUsing(dir) {
  const killed = [];
  for (const { pid } of processTable()) {
    if (pid === process.pid) continue;
    const commandLine = commandLineOf(pid);
    const cwd = readOrEmpty(() => readlinkSync(`/proc/${pid}/cwd`));
    if (commandLine.includes(dir) || isInside(cwd, dir)) {
      signal(pid, 'SIGKILL');
      killed.push(`${pid} ${commandLine.slice(0, 120)}`);
    }
  }
  return killed;
}

/** The processes of `rootPid`'s tree (itself included), with their command lines. */
export function processesOfTree(rootPid) {
  return [...pidsOfTree(processTable(), rootPid)].map((pid) => ({ pid, commandLine: commandLineOf(pid) }));
}

/** Whether `pid` is running (a zombie is not: it has ended and waits to be reaped). */
export function isRunning(pid) {
  return processTable().some((entry) => entry.pid === pid);
}

function commandLineOf(pid) {
  return readOrEmpty(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
}

function groupsOfTree(rootPid) {
  const table = processTable();
  const tree = pidsOfTree(table, rootPid);
  const groups = new Set([rootPid]); // the root leads its own group, even once it has exited
  for (const { pid, pgid } of table) if (tree.has(pid)) groups.add(pgid);
  groups.delete(ownGroup()); // never this script's own group
  return groups;
}

function pidsOfTree(table, rootPid) {
  const tree = new Set([rootPid]);
  // Parents come before children in no guaranteed order: repeat until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const { pid, ppid } of table) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

async function waitUntilGone(groups, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (processTable().some(({ pgid }) => groups.has(pgid))) {
    if (Date.now() >= deadline) return false;
    await delay(50);
  }
  return true;
}

/** The running processes. Zombies are left out: they are gone, only not yet reaped. */
function processTable() {
  const table = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOrEmpty(() => readFileSync(`/proc/${entry}/stat`, 'utf8'));
    if (!stat) continue; // ended while we looked
    // The command name may hold spaces and parentheses; the fields after the last ')' are fixed:
    // state, ppid, pgrp.
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z') table.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid) });
  }
  return table;
}

function ownGroup() {
  return processTable().find(({ pid }) => pid === process.pid)?.pgid;
}

function signalGroups(groups, name) {
  for (const pgid of groups) signal(-pgid, name);
}

function signal(target, name) {
  try {
    process.kill(target, name);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function isInside(file, dir) {
  return file !== '' && !path.relative(dir, file).startsWith('..');
}

function readOrEmpty(read) {
  try {
    return read();
  } catch {
    return '';
  }
}
