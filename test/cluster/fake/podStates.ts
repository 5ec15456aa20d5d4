/**
 * How a Pod object reads at each step of its life, as the kubelet and the API server write it:
 * Pending (no IP, container creating), Running, Ready, not ready, terminating (a graceful delete
 * sets deletionTimestamp to now + the grace period and deletionGracePeriodSeconds; API reference,
 * ObjectMeta), and exited (terminal phase, terminated container state).
 */
import type { Obj } from './store.js';

export type PodState = 'pending' | 'running' | 'ready' | 'not-ready' | 'terminating' | 'exited';

/** RFC 3339 with second precision, as the API server writes metav1.Time. */
export const apiTime = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function podState(pod: Obj, state: PodState, options: { exitCode?: number; graceSeconds?: number } = {}): Obj {
  const now = apiTime();
  const setReady = (v: 'True' | 'False') => {
    for (const c of pod.status.conditions) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = v;
  };
  const cs = pod.status.containerStatuses[0];
  switch (state) {
    case 'pending':
      pod.status.phase = 'Pending';
      delete pod.status.podIP;
      delete pod.status.podIPs;
      setReady('False');
      cs.state = { waiting: { reason: 'ContainerCreating' } };
      cs.ready = false;
      cs.started = false;
      break;
    case 'running': {
      pod.status.phase = 'Running';
      const n = Number(/p(\d+)$/.exec(pod.metadata.name)?.[1] ?? '0');
      pod.status.podIP = `10.244.1.${10 + n}`;
      pod.status.podIPs = [{ ip: pod.status.podIP }];
      cs.state = { running: { startedAt: now } };
      cs.started = true;
      break;
    }
    case 'ready':
      setReady('True');
      cs.ready = true;
      break;
    case 'not-ready':
      setReady('False');
      cs.ready = false;
      break;
    case 'terminating': {
      const grace = options.graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      pod.metadata.deletionTimestamp = apiTime(Date.now() + grace * 1000);
      pod.metadata.deletionGracePeriodSeconds = grace;
      break;
    }
    case 'exited': {
      const exitCode = options.exitCode ?? 0;
      pod.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
      setReady('False');
      cs.ready = false;
      cs.state = { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } };
      break;
    }
  }
  return pod;
}
