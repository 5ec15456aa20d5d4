import { describe, expect, it } from 'vitest';
import { classifyPreStop, execBinary, preStopDelayHandler } from './preStop.js';
import { disruptionBudget } from './disruptionBudget.js';
import { parseKubernetesVersion } from './features.js';

describe('classifyPreStop (§1.2: the stop signal follows as soon as the hook returns)', () => {
  it.each([
    ['sleep action', { sleep: { seconds: 5 } }, 'sleep-action'],
    ['exec sleep', { exec: { command: ['/bin/sleep', '20'] } }, 'exec-sleep'],
    ['sleep inside a shell', { exec: { command: ['sh', '-c', 'sleep 10 && nginx -s quit'] } }, 'exec-sleep'],
    ['nginx -s quit returns at once (kubernetes/website#1414)', { exec: { command: ['/usr/sbin/nginx', '-s', 'quit'] } }, 'signal-and-return'],
    ['kill returns at once', { exec: { command: ['sh', '-c', 'kill -QUIT 1'] } }, 'signal-and-return'],
    ['a quit followed by a wait loop waits', { exec: { command: ['sh', '-c', 'nginx -s quit; while pgrep nginx; do :; done'] } }, 'opaque'],
    ['an HTTP hook is opaque', { httpGet: { path: '/drain', port: 8080 } }, 'opaque'],
  ] as const)('%s', (_name, handler, kind) => {
    expect(classifyPreStop(handler as never).kind).toBe(kind);
  });
});

describe('preStopDelayHandler (§5.1 sleep action from 1.30)', () => {
  const v = parseKubernetesVersion;
  it('uses the sleep action where the version has it', () => {
    expect(preStopDelayHandler(5, v('1.30'), 'gcr.io/distroless/nodejs20-debian12')).toEqual({ sleep: { seconds: 5 } });
  });
  it('falls back to exec sleep before 1.30, and to nothing on shell-less images', () => {
    expect(preStopDelayHandler(4.5, v('1.29'), 'node:20')).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(preStopDelayHandler(5, v('1.29'), 'gcr.io/distroless/nodejs20-debian12')).toBeUndefined();
  });
});

describe('disruptionBudget (§4.1: PDB percentages round up)', () => {
  it.each([
    ['minAvailable 50% of 7 keeps 4 (doc example)', { minAvailable: '50%' }, 7, 4, 3],
    ['minAvailable 50% of 1 rounds up to 1: no eviction allowed', { minAvailable: '50%' }, 1, 1, 0],
    ['minAvailable equal to replicas blocks', { minAvailable: 3 }, 3, 3, 0],
    ['maxUnavailable 10% of 3 rounds up to 1', { maxUnavailable: '10%' }, 3, 2, 1],
    ['maxUnavailable 0 blocks', { maxUnavailable: 0 }, 5, 5, 0],
  ] as const)('%s', (_name, spec, pods, desired, allowed) => {
    expect(disruptionBudget(spec, pods)).toMatchObject({ desiredHealthy: desired, disruptionsAllowed: allowed });
  });
});

describe('execBinary (§1.2: exec hooks run inside the container)', () => {
  it('names the first argument of an exec command, and nothing for malformed commands', () => {
    expect(execBinary({ exec: { command: ['/bin/sleep', '5'] } })).toBe('/bin/sleep');
    expect(execBinary({ exec: { command: 'sleep 5' as never } })).toBeUndefined();
    expect(execBinary({ sleep: { seconds: 5 } })).toBeUndefined();
  });
});
