import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { findProgram } from './command.js';

/**
 * How a container's processes are held inside the container's life, decided once per machine.
 *
 * A PID namespace per container (Kubernetes' default without `shareProcessNamespace`): the main
 * process is PID 1 of its namespace, and when it dies the kernel kills everything else in it,
 * `setsid` daemons included. Root gets one with `unshare --pid`; another user with
 * `unshare --user --pid`, where the kernel allows unprivileged user namespaces. Where neither
 * works (or with `--no-pid-namespace`) the container is an ordinary process group, and the lab
 * finds what escaped the group by the owner mark in its environment (processSweep.ts).
 *
 * Either way the process the lab spawns gets a parent-death signal (`setpriv --pdeathsig KILL`),
 * so a lab killed by SIGKILL or the OOM killer takes it along: in a namespace that process is
 * unshare, whose `--kill-child` then kills PID 1 and with it the namespace. The signal follows
 * the death of the *thread* that forked the child; Node forks on its main thread, which lives as
 * long as the lab, and the lab never spawns a container from a worker thread.
 */

export interface PidNamespaceSupport {
  available: boolean;
  /** Why not, when not. */
  reason?: string;
  /** The command that runs a program as PID 1 of a new PID namespace, when available. */
  prefix?: string[];
}

let support: PidNamespaceSupport | undefined;

/** Whether containers can run as PID 1 of their own PID namespace here, and how; probed once. */
export function pidNamespaceSupport(): PidNamespaceSupport {
  support ??= probePidNamespace();
  return support;
}

function probePidNamespace(): PidNamespaceSupport {
  if (process.platform !== 'linux') return { available: false, reason: 'PID namespaces need Linux' };
  try {
    readlinkSync('/proc/self/ns/pid');
  } catch {
    return { available: false, reason: 'this kernel exposes no PID namespaces (/proc/self/ns/pid)' };
  }
  const unshare = findProgram('unshare', process.cwd(), process.env.PATH ?? '/usr/bin:/bin');
  if (!unshare) return { available: false, reason: 'unshare (util-linux) is not on PATH' };
  const pid = ['--pid', '--fork', '--kill-child'];
  const uid = process.getuid?.() ?? -1;
  const candidates: Array<{ how: string; prefix: string[] }> = [];
  if (uid === 0) candidates.push({ how: 'unshare --pid', prefix: [unshare, ...pid] });
  // A user namespace mapping only this user to itself: the program keeps its uid and gains nothing.
  candidates.push({ how: 'unshare --user --pid', prefix: [unshare, '--user', `--map-user=${uid}`, `--map-group=${process.getgid?.() ?? -1}`, ...pid] });
  const failures: string[] = [];
  for (const { how, prefix } of candidates) {
    const probe = spawnSync(prefix[0]!, [...prefix.slice(1), 'true'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 5000 });
    if (!probe.error && probe.status === 0) return { available: true, prefix };
    failures.push(`${how}: ${probe.error ? (probe.error as NodeJS.ErrnoException).code : probe.stderr.trim().split('\n')[0] || `exit ${probe.status}`}`);
  }
  return {
    available: false,
    reason: `unshare could not create a PID namespace (${failures.join('; ')}): run as root, or allow unprivileged user namespaces`,
  };
}

let parentDeath: string[] | undefined;

/** `setpriv --pdeathsig KILL --` where util-linux's setpriv has it (2.33+), else nothing. */
export function parentDeathPrefix(): string[] {
  if (parentDeath) return parentDeath;
  const setpriv = process.platform === 'linux' ? findProgram('setpriv', process.cwd(), process.env.PATH ?? '/usr/bin:/bin') : undefined;
  const prefix = setpriv ? [setpriv, '--pdeathsig', 'KILL', '--'] : [];
  const works = prefix.length > 0 && spawnSync(prefix[0]!, [...prefix.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  parentDeath = works ? prefix : [];
  return parentDeath;
}

/** What a pod asks for: `pidNamespace` true (required), false (opted out) or unset (where available). */
export interface ContainmentRequest {
  pidNamespace?: boolean;
  /** `shareProcessNamespace: true`: the pod's pause container is PID 1, so no container is. */
  shareProcessNamespace?: boolean;
}

/** Whether the pod's containers run as PID 1 of their own PID namespace. */
export function usesPidNamespace(request: ContainmentRequest): boolean {
  if (request.shareProcessNamespace) return false;
  return request.pidNamespace ?? pidNamespaceSupport().available;
}

/** One phrase for the run's description: whether the main process is PID 1, and why. */
export function describeContainment(request: ContainmentRequest): string {
  if (usesPidNamespace(request)) return 'app is PID 1 (own PID namespace)';
  if (request.shareProcessNamespace) return 'app is not PID 1 (shareProcessNamespace)';
  if (request.pidNamespace === false) return 'app is not PID 1 (--no-pid-namespace)';
  return 'app is not PID 1 (no PID namespace here)';
}
