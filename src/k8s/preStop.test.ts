import { describe, expect, it } from 'vitest';
import { classifyPreStop, execBinary, preStopDelayHandler } from './preStop.js';
import { flagSeconds } from './preStopHooks.js';
import { disruptionBudget } from './disruptionBudget.js';
import { parseKubernetesVersion } from './features.js';

describe('classifyPreStop (docs/reference/pod-termination.md#kubelet-sequence: the stop signal follows as soon as the hook returns)', () => {
  it.each([
    ['sleep action', { sleep: { seconds: 5 } }, 'sleep-action'],
    ['exec sleep', { exec: { command: ['/bin/sleep', '20'] } }, 'exec-sleep'],
    ['sleep inside a shell', { exec: { command: ['sh', '-c', 'sleep 10 && nginx -s quit'] } }, 'exec-sleep'],
    ['nginx -s quit returns at once (kubernetes/website#1414)', { exec: { command: ['/usr/sbin/nginx', '-s', 'quit'] } }, 'signal-and-return'],
    ['kill returns at once', { exec: { command: ['sh', '-c', 'kill -QUIT 1'] } }, 'signal-and-return'],
    ['a quit followed by a wait loop waits', { exec: { command: ['sh', '-c', 'nginx -s quit; while pgrep nginx; do :; done'] } }, 'opaque'],
    ['an HTTP hook is opaque', { httpGet: { path: '/drain', port: 8080 } }, 'opaque'],
    ["ingress-nginx's /wait-shutdown quits nginx first", { exec: { command: ['/wait-shutdown'] } }, 'stops-server-first'],
    ['kong quit, also under sh -c', { exec: { command: ['/bin/sh', '-c', 'kong quit'] } }, 'stops-server-first'],
    ['busybox sleep', { exec: { command: ['/bin/busybox', 'sleep', '7'] } }, 'exec-sleep'],
  ] as const)('%s', (_name, handler, kind) => {
    expect(classifyPreStop(handler as never).kind).toBe(kind);
  });

  const delay = (handler: unknown, ctx = {}) => {
    const shape = classifyPreStop(handler as never, ctx);
    return shape.kind === 'opaque' ? shape.delay : shape.kind;
  };
  it('knows which opaque hooks wait and which are unknown', () => {
    expect(delay({ exec: { command: ['/bin/contour', 'envoy', 'shutdown'] } })).toBe('waits');
    expect(delay({ exec: { command: ['/bin/sh', '-c', 'kong quit --wait=20'] } })).toBe('waits');
    expect(delay({ exec: { command: ['/opt/bin/drainctl'] } })).toBe('unknown');
    expect(delay({ httpGet: { path: '/shutdown', port: 8090 } })).toBe('unknown');
  });
  it('reads the flags and the pod that decide a known hook', () => {
    const waitShutdown = { exec: { command: ['/wait-shutdown'] } };
    expect(delay(waitShutdown, { containerArgv: ['/nginx-ingress-controller', '--shutdown-grace-period=20s'] })).toBe('waits');
    expect(delay(waitShutdown, { containerArgv: ['/nginx-ingress-controller', '--shutdown-grace-period', '0'] })).toBe('stops-server-first');
    // Envoy's GET /shutdown is answered by Contour's shutdown-manager when the pod runs one.
    const contour = {
      podArgvs: [
        ['envoy', '-c', '/config/envoy.json'],
        ['/bin/contour', 'envoy', 'shutdown-manager'],
      ],
    };
    expect(delay({ httpGet: { path: '/shutdown', port: 8090 } }, contour)).toBe('waits');
  });
});

describe('flagSeconds: Go durations in flags', () => {
  it.each([
    [['--shutdown-grace-period=15s'], 15],
    [['--shutdown-grace-period', '1m'], 60],
    [['--shutdown-grace-period=500ms'], 0.5],
    [['--other=3s'], undefined],
  ] as const)('%j', (argv, seconds) => {
    expect(flagSeconds(argv, '--shutdown-grace-period')).toBe(seconds);
  });
});

describe('preStopDelayHandler (docs/reference/feature-versions.md#sleep-action sleep action from 1.30)', () => {
  const v = parseKubernetesVersion;
  it('uses the sleep action where the version has it', () => {
    expect(preStopDelayHandler(5, v('1.30'), 'gcr.io/distroless/nodejs20-debian12')).toEqual({ sleep: { seconds: 5 } });
  });
  it('falls back to exec sleep before 1.30, and to nothing on shell-less images', () => {
    expect(preStopDelayHandler(4.5, v('1.29'), 'node:20')).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(preStopDelayHandler(5, v('1.29'), 'gcr.io/distroless/nodejs20-debian12')).toBeUndefined();
  });
});

describe('disruptionBudget (docs/reference/disruption-budgets.md#budget-arithmetic: PDB percentages round up)', () => {
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

describe('execBinary (docs/reference/pod-termination.md#kubelet-sequence: exec hooks run inside the container)', () => {
  it('names the first argument of an exec command, and nothing for malformed commands', () => {
    expect(execBinary({ exec: { command: ['/bin/sleep', '5'] } })).toBe('/bin/sleep');
    expect(execBinary({ exec: { command: 'sleep 5' as never } })).toBeUndefined();
    expect(execBinary({ sleep: { seconds: 5 } })).toBeUndefined();
  });
});
