import { effectiveGraceSeconds, shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import { exitCodeForSignal } from '../../k8s/signals.js';
import type { EventStream } from '../../events/stream.js';
import type { ContainerEvent } from '../../events/schema.js';
import { ContainerProcess, type ContainerExit } from './containerProcess.js';
import { Prober, runHook, tcpOnce, type ContainerEndpoint } from './probe.js';
import { freePort } from './ports.js';
import type { ContainerPlan, PodPlan } from './plan.js';

export type PodLifecyclePhase = 'pending' | 'running' | 'terminating' | 'terminated';

export interface PodOptions {
  name: string;
  plan: PodPlan;
  events: EventStream;
  /** Called on every change the controllers care about (readiness, termination, exit). */
  onChange: (pod: LabPod) => void;
  /**
   * Delay between the API delete and the kubelet starting termination (§1.2 step 1: the pod
   * worker waits for a fresh PLEG entry, "~1s of latency", up to 2 s). Sampled per pod.
   */
  kubeletDelayMs?: () => number;
  host?: string;
}

const ms = (s: number): number => s * 1000;
/**
 * Deadline timers only race a child process's exit; they must not keep the lab alive once every
 * pod is gone (a 30 s SIGKILL deadline would otherwise hold the CLI open after the last run).
 */
const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t)).unref());

/**
 * A pod: its containers as real processes, its probers, and the kubelet's termination sequence
 * (kubernetes-semantics §1.2, §1.7, §2.2, §5.3). All containers share the pod's "network
 * namespace": each declared containerPort maps to one host port, exported as PORT_<containerPort>
 * to every container of the pod.
 */
export class LabPod {
  readonly name: string;
  readonly revision: string;
  readonly host: string;
  readonly createdAt: number;
  phase: PodLifecyclePhase = 'pending';
  /** Pod Ready condition: every container (sidecars included) ready. */
  ready = false;
  /** When Ready last turned true (run time axis, ms), for minReadySeconds (§3.2). */
  readySince: number | undefined;
  /** deletionTimestamp was set (§1.1). */
  deleting = false;
  restarts = 0;
  /** The pod object is deleted from the API (after its containers exited, §1.7 item 4). */
  gone = false;
  private portMap = new Map<number, number>();
  private namedPorts = new Map<string, number>();
  private readonly containers: ContainerRuntime[] = [];
  private readonly sidecars: ContainerRuntime[] = [];
  private deleted: Promise<void> | undefined;
  private readonly options: PodOptions;

  constructor(options: PodOptions) {
    this.options = options;
    this.name = options.name;
    this.revision = options.plan.revision;
    this.host = options.host ?? '127.0.0.1';
    this.createdAt = options.events.now();
  }

  get events(): EventStream {
    return this.options.events;
  }

  /** Host port of the Service's target port: where the endpoints controller points consumers. */
  get servicePort(): number {
    return this.portMap.get(this.options.plan.servicePort) ?? 0;
  }

  get pidNamespace(): boolean {
    return this.options.plan.pidNamespace === true;
  }

  get mainPlan(): ContainerPlan | undefined {
    return this.options.plan.containers[0];
  }

  hostPortOf(containerPort: number): number | undefined {
    return this.portMap.get(containerPort);
  }

  /** Creates the pod's port mapping and starts native sidecars in order, then the main containers. */
  async start(): Promise<void> {
    const plan = this.options.plan;
    this.options.events.emit({ type: 'pod', pod: this.name, phase: 'created', revision: this.revision });
    for (const c of [...plan.sidecars, ...plan.containers]) {
      for (const p of c.ports) {
        if (!this.portMap.has(p.containerPort)) this.portMap.set(p.containerPort, await freePort(this.host));
        if (p.name) this.namedPorts.set(p.name, p.containerPort);
      }
    }
    if (!this.portMap.has(plan.servicePort)) this.portMap.set(plan.servicePort, await freePort(this.host));
    if (this.deleting) return;
    this.phase = 'running';
    for (const c of plan.sidecars) this.sidecars.push(new ContainerRuntime(this, c, true));
    for (const c of plan.containers) this.containers.push(new ContainerRuntime(this, c, false));
    // §5.3: each native sidecar must be started (running, or its startupProbe passed) before the next.
    for (const s of this.sidecars) {
      s.start();
      await s.startedOnce;
      if (this.deleting) return;
    }
    this.options.events.emit({ type: 'pod', pod: this.name, phase: 'started', revision: this.revision });
    for (const c of this.containers) c.start();
  }

  /** The environment every container gets: its own PORT plus the pod's port map. */
  envFor(c: ContainerPlan): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    for (const [containerPort, hostPort] of this.portMap) env[`PORT_${containerPort}`] = String(hostPort);
    env.POD_NAME = this.name;
    env.POD_IP = this.host;
    // Kubernetes expands $(VAR) in env values from variables defined before; the lab's port map
    // counts as defined, so `http://127.0.0.1:$(PORT_5432)` reaches a sidecar's port.
    for (const [k, v] of Object.entries(c.env)) env[k] = expandEnvReferences(v, env);
    // A container's PORT is its first declared port; the first main container without ports
    // serves the Service's target port.
    const own = c.ports[0]?.containerPort ?? (c === this.options.plan.containers[0] ? this.options.plan.servicePort : undefined);
    const hostPort = own === undefined ? undefined : this.portMap.get(own);
    if (hostPort !== undefined) env.PORT = String(hostPort);
    return env;
  }

  endpointFor(c: ContainerPlan): ContainerEndpoint {
    const endpoint: ContainerEndpoint = {
      host: this.host,
      env: this.envFor(c),
      resolvePort: (port) => {
        const containerPort = typeof port === 'number' ? port : /^\d+$/.test(port) ? Number(port) : this.namedPorts.get(port);
        return containerPort === undefined ? undefined : this.portMap.get(containerPort);
      },
    };
    if (this.options.plan.cwd) endpoint.cwd = this.options.plan.cwd;
    return endpoint;
  }

  /** Recomputes the Ready condition from the containers and notifies the controllers. */
  refreshReady(): void {
    const all = [...this.sidecars, ...this.containers];
    const ready = this.phase !== 'pending' && this.phase !== 'terminated' && all.length > 0 && all.every((c) => c.ready);
    if (ready !== this.ready) {
      this.ready = ready;
      this.readySince = ready ? this.options.events.now() : undefined;
      this.options.events.emit({ type: 'pod', pod: this.name, phase: ready ? 'ready' : 'not-ready', revision: this.revision });
    }
    this.options.onChange(this);
  }

  emitContainer(container: string, body: Omit<ContainerEvent, 'type' | 't' | 'run' | 'pod' | 'container'>): void {
    this.options.events.emit({ type: 'container', pod: this.name, container, ...body });
  }

  /**
   * API delete with graceful termination (§1.1, §1.2, §1.7). Resolves when the pod object is gone.
   * @param graceSeconds DeleteOptions.gracePeriodSeconds; default spec.terminationGracePeriodSeconds.
   */
  delete(graceSeconds?: number): Promise<void> {
    this.deleted ??= this.terminate(graceSeconds);
    return this.deleted;
  }

  private async terminate(graceOverride?: number): Promise<void> {
    // §1.7 item 1: deletionTimestamp set; readiness is unaffected; endpoints react on their own.
    this.deleting = true;
    const wasRunning = this.phase === 'running';
    if (this.phase !== 'terminated') this.phase = 'terminating';
    this.options.events.emit({ type: 'pod', pod: this.name, phase: 'terminating', revision: this.revision });
    this.options.onChange(this);
    // §2.2: liveness and startup probes stop at deletion; readiness keeps running.
    for (const c of [...this.sidecars, ...this.containers]) c.stopLivenessAndStartup();
    if (wasRunning) {
      // §1.2 step 1: the kubelet sees the delete after its watch and the PLEG wait.
      await sleep(this.options.kubeletDelayMs?.() ?? 0);
      const grace = effectiveGraceSeconds(graceOverride ?? this.options.plan.graceSeconds);
      const t0 = performance.now();
      // §1.2 step 3 / §5.3: every container's preStop starts now, concurrently; main containers
      // stop after their own hook, native sidecars only after all main containers exited, in
      // reverse definition order.
      const mainsDone = Promise.all(this.containers.map((c) => c.kill(grace, t0, undefined)));
      let turn: Promise<unknown> = mainsDone;
      const sidecarDone: Promise<void>[] = [];
      for (const s of [...this.sidecars].reverse()) {
        const done = s.kill(grace, t0, turn);
        sidecarDone.push(done);
        turn = done;
      }
      await Promise.all([mainsDone, ...sidecarDone]);
    }
    for (const c of [...this.sidecars, ...this.containers]) c.stopAll();
    // §1.7 item 4: all containers exited → terminal phase → endpoint removed → object deleted.
    this.phase = 'terminated';
    this.ready = false;
    this.options.events.emit({ type: 'pod', pod: this.name, phase: 'exited', revision: this.revision });
    this.options.onChange(this);
    this.gone = true;
    this.options.events.emit({ type: 'pod', pod: this.name, phase: 'deleted', revision: this.revision });
    this.options.onChange(this);
  }

  /** True when every container with a port accepted a TCP connection since it last started. */
  get listening(): boolean {
    return [...this.sidecars, ...this.containers].every((c) => c.listeningAt !== undefined || !c.hasPort);
  }

  /** Why a pod is not serving, for error messages: each container's state and last output. */
  diagnostics(): string[] {
    return [...this.sidecars, ...this.containers].map((c) => `${this.name}/${c.plan.name}: ${c.describe()}`);
  }

  /** Tears the pod down at once (lab shutdown, Ctrl-C): SIGKILL every container group. */
  forceKill(): void {
    this.deleting = true;
    for (const c of [...this.sidecars, ...this.containers]) c.forceKill();
  }

  /** Liveness or startup failure: restart one container through its own kill path (§1.2, §2.3). */
  async restartContainer(c: ContainerRuntime, detail: string): Promise<void> {
    if (this.deleting) return;
    this.emitContainer(c.plan.name, { action: 'restart', detail });
    const probeGrace = c.plan.liveness?.terminationGracePeriodSeconds ?? c.plan.startup?.terminationGracePeriodSeconds;
    const grace = effectiveGraceSeconds(probeGrace ?? this.options.plan.graceSeconds);
    await c.kill(grace, performance.now(), undefined);
    if (this.deleting) return;
    this.restarts++;
    c.start();
  }
}

/** One container of a pod: its process across restarts, and its probers. */
class ContainerRuntime {
  ready = false;
  startedOnce: Promise<void>;
  private markStarted: () => void = () => {};
  private proc: ContainerProcess | undefined;
  private readiness: Prober | undefined;
  private liveness: Prober | undefined;
  private startup: Prober | undefined;
  private crashes = 0;
  private killing = false;
  private lastCrash: { exit: ContainerExit; output: string[] } | undefined;

  constructor(
    private readonly pod: LabPod,
    readonly plan: ContainerPlan,
    readonly sidecar: boolean,
  ) {
    this.startedOnce = new Promise((r) => (this.markStarted = r));
  }

  start(): void {
    const endpoint = this.pod.endpointFor(this.plan);
    const proc = ContainerProcess.start({
      argv: this.plan.argv,
      env: endpoint.env,
      ...(endpoint.cwd ? { cwd: endpoint.cwd } : {}),
      ...(this.pod.pidNamespace ? { pidNamespace: true } : {}),
    });
    this.proc = proc;
    this.killing = false;
    this.pod.emitContainer(this.plan.name, { action: 'start', detail: `pid ${proc.pid}` });
    void proc.exited.then((exit) => this.onExit(proc, exit));
    void this.watchListening(proc, endpoint);
    const afterStarted = (): void => {
      this.markStarted();
      this.startReadinessAndLiveness();
    };
    if (this.plan.startup) {
      // §2.1: a startup probe disables the other probes until it succeeds.
      this.startup = new Prober('startup', this.plan.startup, endpoint, {
        onStarted: () => {
          this.pod.emitContainer(this.plan.name, { action: 'probe-ok', probe: 'startup' });
          afterStarted();
        },
        onFailure: (detail) => {
          this.pod.emitContainer(this.plan.name, { action: 'probe-fail', probe: 'startup', detail });
          void this.pod.restartContainer(this, `startup probe: ${detail}`);
        },
      });
      this.startup.start();
    } else {
      afterStarted();
    }
  }

  /** Time of the first successful TCP connect to the container's own port, for the report's startup gap. */
  listeningAt: number | undefined;

  get hasPort(): boolean {
    return this.plan.ports.length > 0 || this.plan === this.pod.mainPlan;
  }

  private async watchListening(proc: ContainerProcess, endpoint: ContainerEndpoint): Promise<void> {
    this.listeningAt = undefined;
    const port = Number(endpoint.env.PORT);
    if (!(port > 0)) return;
    while (proc.running && this.proc === proc) {
      const outcome = await tcpOnce({ port }, { ...endpoint, resolvePort: () => port }, 500);
      if (outcome.ok) {
        if (proc.running && this.proc === proc) {
          this.listeningAt = this.pod.events.now();
          this.pod.emitContainer(this.plan.name, { action: 'listening', detail: `port ${port}` });
          this.pod.refreshReady();
        }
        return;
      }
      await sleep(50);
    }
  }

  private startReadinessAndLiveness(): void {
    const endpoint = this.pod.endpointFor(this.plan);
    if (this.plan.readiness) {
      this.readiness = new Prober('readiness', this.plan.readiness, endpoint, {
        onReady: (ready, detail) => {
          this.pod.emitContainer(this.plan.name, { action: ready ? 'probe-ok' : 'probe-fail', probe: 'readiness', detail });
          this.ready = ready && this.proc?.running === true;
          this.pod.refreshReady();
        },
      });
      this.readiness.start();
    } else {
      // §2.1: no readiness probe means Success as soon as the container runs.
      this.ready = true;
      this.pod.refreshReady();
    }
    if (this.plan.liveness && !this.pod.deleting) {
      this.liveness = new Prober('liveness', this.plan.liveness, endpoint, {
        onFailure: (detail) => {
          this.pod.emitContainer(this.plan.name, { action: 'probe-fail', probe: 'liveness', detail });
          void this.pod.restartContainer(this, `liveness probe: ${detail}`);
        },
      });
      this.liveness.start();
    }
  }

  stopLivenessAndStartup(): void {
    this.liveness?.stop();
    this.startup?.stop();
  }

  stopAll(): void {
    this.stopLivenessAndStartup();
    this.readiness?.stop();
  }

  private onExit(proc: ContainerProcess, exit: ContainerExit): void {
    if (proc !== this.proc) return;
    this.pod.emitContainer(this.plan.name, {
      action: 'exit',
      exitCode: exit.code ?? (exit.signal ? (exitCodeForSignal(exit.signal) ?? null) : null),
      ...(exit.signal ? { signal: exit.signal } : {}),
      ...(!this.killing ? { detail: proc.lastOutput().slice(-3).join(' | ') } : {}),
    });
    this.ready = false;
    this.stopAll();
    this.pod.refreshReady();
    if (this.killing || this.pod.deleting) return;
    // A crash: restartPolicy Always restarts it; no preStop runs for a container that exited (§1.2
    // "No hook on crash"). Back-off doubles from 1 s (the kubelet starts at 10 s; shortened for the lab).
    this.crashes++;
    this.lastCrash = { exit, output: proc.lastOutput() };
    const backoff = Math.min(1000 * 2 ** (this.crashes - 1), 30_000);
    const restart = setTimeout(() => {
      if (this.pod.deleting) return;
      this.pod.restarts++;
      this.pod.emitContainer(this.plan.name, { action: 'restart', detail: `crashed (exit ${exit.code ?? exit.signal})` });
      this.start();
    }, backoff);
    restart.unref();
  }

  /**
   * `killContainer` (§1.2 step 4, §1.7 item 3): preStop raced against the grace period, the stop
   * signal at min(P, G), SIGKILL to the group after max(G − floor(min(P, G)), 2) more seconds.
   * `turn` delays the stop signal (not the preStop) until earlier containers are gone (§5.3).
   */
  async kill(graceSeconds: number, t0: number, turn: Promise<unknown> | undefined): Promise<void> {
    const proc = this.proc;
    if (!proc?.running) return;
    this.killing = true;
    const deadline = t0 + ms(graceSeconds);
    const hook = this.plan.preStop;
    if (hook && graceSeconds > 0) {
      this.pod.emitContainer(this.plan.name, { action: 'prestop-start' });
      const hookRun = runHook(hook, this.pod.endpointFor(this.plan)).then((o) => {
        this.pod.emitContainer(this.plan.name, { action: 'prestop-end', detail: o.ok ? o.detail : `FailedPreStopHook: ${o.detail}` });
      });
      // The kubelet waits for the hook at most the grace period and does not cancel it.
      await Promise.race([hookRun, sleep(deadline - performance.now()), proc.exited]);
    }
    if (turn) await Promise.race([turn, sleep(deadline - performance.now()), proc.exited]);
    if (!proc.running) return;
    const elapsedSeconds = (performance.now() - t0) / 1000;
    const timeline = shutdownTimeline(graceSeconds, elapsedSeconds);
    this.pod.emitContainer(this.plan.name, { action: 'signal', signal: this.plan.stopSignal, detail: `SIGKILL in ${timeline.appWindow} s` });
    proc.signal(this.plan.stopSignal);
    const exited = await Promise.race([proc.exited.then(() => true), sleep(ms(timeline.appWindow)).then(() => false)]);
    if (!exited && proc.running) {
      this.pod.emitContainer(this.plan.name, { action: 'kill', signal: 'SIGKILL' });
      proc.kill();
      await proc.exited;
    }
  }

  describe(): string {
    const proc = this.proc;
    if (!proc) return 'not started';
    const exit = proc.exitStatus;
    const state = exit
      ? `exited (${exit.code ?? exit.signal})`
      : this.ready
        ? 'ready'
        : this.listeningAt === undefined && this.hasPort
          ? 'running, not accepting connections'
          : 'running, not ready';
    const crash = this.lastCrash;
    const crashed = crash ? `; crashed ${this.crashes}× (last exit ${crash.exit.code ?? crash.exit.signal})` : '';
    const out = (exit || !crash ? proc.lastOutput() : crash.output).slice(-2).join(' | ');
    return `${state}${crashed}${out ? `; last output: ${out}` : ''}`;
  }

  forceKill(): void {
    this.killing = true;
    this.stopAll();
    this.proc?.kill();
  }
}

/** `$(VAR)` expansion as the kubelet does it: known names are replaced, `$$(VAR)` escapes, unknown stay literal. */
export function expandEnvReferences(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && env[name] !== undefined ? env[name]! : m;
  });
}
