import { describe, expect, it } from 'vitest';
import type { ContainerEvent, EndpointEvent, PodEvent } from '../events/schema.js';
import { buildPodLanes } from './podLanes.js';

type LaneEvent = PodEvent | ContainerEvent | EndpointEvent;
const pod = (t: number, name: string, phase: PodEvent['phase'], extra: Partial<PodEvent> = {}): LaneEvent => ({
  type: 'pod',
  t,
  run: 'r',
  pod: name,
  phase,
  ...extra,
});
const container = (t: number, name: string, action: ContainerEvent['action'], extra: Partial<ContainerEvent> = {}): LaneEvent => ({
  type: 'container',
  t,
  run: 'r',
  pod: name,
  container: 'app',
  action,
  ...extra,
});
const endpoint = (t: number, name: string, consumer: string, change: EndpointEvent['change']): LaneEvent => ({
  type: 'endpoint',
  t,
  run: 'r',
  pod: name,
  consumer,
  change,
});
const states = (lane: { intervals: Array<{ state: string; start: number; end: number }> }) => lane.intervals.map((i) => [i.state, i.start, i.end]);

describe('buildPodLanes', () => {
  it('draws the shutdown of docs/reference/pod-termination.md#termination-timeline: terminating while preStop runs, signalled, killed at the deadline, exited, then gone', () => {
    const [lane] = buildPodLanes(
      [
        pod(0, 'web-a', 'created', { revision: 'v1' }),
        pod(50, 'web-a', 'started'),
        pod(400, 'web-a', 'ready'),
        pod(1000, 'web-a', 'terminating'),
        endpoint(1030, 'web-a', 'endpointslice', 'removed'),
        container(1300, 'web-a', 'prestop-start', { detail: 'sleep 2s' }),
        endpoint(1900, 'web-a', 'proxy', 'removed'),
        container(3300, 'web-a', 'prestop-end'),
        container(3300, 'web-a', 'signal', { signal: 'SIGTERM' }),
        container(5300, 'web-a', 'kill', { signal: 'SIGKILL' }),
        container(5305, 'web-a', 'exit', { exitCode: null, signal: 'SIGKILL' }),
        pod(5306, 'web-a', 'exited'),
        pod(5400, 'web-a', 'deleted'),
      ],
      { start: 0, end: 9000 },
    );
    expect(lane!.revision).toBe('v1');
    expect(states(lane!)).toEqual([
      ['pending', 0, 400],
      ['ready', 400, 1000],
      ['terminating', 1000, 3300],
      ['signalled', 3300, 5300],
      ['killed', 5300, 5305],
      ['exited', 5305, 5400],
    ]);
    expect(lane!.marks.map((m) => [m.kind, m.t, m.consumer ?? m.container])).toEqual([
      ['endpoint-removed', 1030, 'endpointslice'],
      ['prestop-start', 1300, 'app'],
      ['endpoint-removed', 1900, 'proxy'],
      ['prestop-end', 3300, 'app'],
      ['signal', 3300, 'app'],
      ['kill', 5300, 'app'],
      ['exit', 5305, 'app'],
    ]);
    expect(lane!.marks.find((m) => m.kind === 'signal')!.label).toBe('SIGTERM to app');
  });

  it('assumes a pod first seen after t=0 without `created` was serving since the run began (cluster rollouts)', () => {
    const [lane] = buildPodLanes([pod(2000, 'web-old', 'terminating'), container(2100, 'web-old', 'signal', { signal: 'SIGTERM' })], { start: 0, end: 5000 });
    expect(states(lane!)).toEqual([
      ['ready', 0, 2000],
      ['terminating', 2000, 2100],
      ['signalled', 2100, 5000],
    ]);
    expect(lane!.intervals[0]!.cause).toMatch(/before the run/);
  });

  it('shows a readiness failure while running as not ready, and does not reopen a terminating pod on a late readiness report', () => {
    const [lane] = buildPodLanes(
      [
        pod(0, 'p', 'created'),
        pod(100, 'p', 'ready'),
        pod(500, 'p', 'not-ready'),
        pod(800, 'p', 'ready'),
        pod(1000, 'p', 'terminating'),
        pod(1200, 'p', 'ready'),
      ],
      { start: 0, end: 2000 },
    );
    expect(states(lane!)).toEqual([
      ['pending', 0, 100],
      ['ready', 100, 500],
      ['unready', 500, 800],
      ['ready', 800, 1000],
      ['terminating', 1000, 2000],
    ]);
  });

  it('marks the pod exited when its last running container exits, even without a pod `exited` record', () => {
    const [lane] = buildPodLanes(
      [
        pod(0, 'p', 'created'),
        container(10, 'p', 'start'),
        { ...container(10, 'p', 'start'), container: 'sidecar' } as LaneEvent,
        pod(100, 'p', 'terminating'),
        container(120, 'p', 'signal', { signal: 'SIGTERM' }),
        container(150, 'p', 'exit', { exitCode: 0 }),
        { ...container(300, 'p', 'exit', { exitCode: 143 }), container: 'sidecar' } as LaneEvent,
      ],
      { start: 0, end: 1000 },
    );
    expect(states(lane!).map((s) => s[0])).toEqual(['pending', 'terminating', 'signalled', 'exited']);
    expect(lane!.intervals.at(-1)!.start).toBe(300);
    expect(lane!.marks.filter((m) => m.kind === 'exit').map((m) => m.label)).toEqual(['app exited with code 0', 'sidecar exited with code 143']);
  });

  it('keeps a consumer’s endpoint removal that comes after the pod was deleted: the late consumer is the story', () => {
    const [lane] = buildPodLanes(
      [
        pod(0, 'p', 'created'),
        pod(100, 'p', 'ready'),
        pod(500, 'p', 'terminating'),
        pod(700, 'p', 'deleted'),
        container(800, 'p', 'exit'),
        endpoint(1500, 'p', 'nginx', 'removed'),
      ],
      { start: 0, end: 2000 },
    );
    expect(lane!.intervals.at(-1)!.end).toBe(700);
    expect(lane!.marks.map((m) => [m.kind, m.t])).toEqual([['endpoint-removed', 1500]]);
  });

  it('orders lanes by first appearance so old pods sit above their replacements', () => {
    const lanes = buildPodLanes([pod(0, 'old', 'created'), pod(5, 'new', 'created'), pod(10, 'old', 'terminating')], { start: 0, end: 100 });
    expect(lanes.map((l) => l.pod)).toEqual(['old', 'new']);
  });

  it('keeps restarts, probe failures and endpoint additions as marks without changing the state', () => {
    const [lane] = buildPodLanes(
      [
        pod(0, 'p', 'created'),
        container(50, 'p', 'probe-fail', { probe: 'liveness' }),
        container(60, 'p', 'restart', { detail: 'liveness' }),
        endpoint(70, 'p', 'l4', 'added'),
      ],
      { start: 0, end: 100 },
    );
    expect(states(lane!)).toEqual([['pending', 0, 100]]);
    expect(lane!.marks.map((m) => m.kind)).toEqual(['probe-fail', 'restart', 'endpoint-added']);
    expect(lane!.marks[0]!.label).toBe('liveness probe failed in app');
  });
});
