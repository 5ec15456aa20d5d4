import type { ContainerEvent } from '../../events/schema.js';
import { shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import { exitCodeForSignal } from '../../k8s/signals.js';
import { ContainerProcess, type ContainerExit } from './containerProcess.js';
import { describeExit, explainCrash } from './crashReason.js';
import type { ContainerPlan } from './plan.js';
import { Prober, runHook, tcpOnce, type ContainerEndpoint } from './probe.js';
import { sleep, sleepUntil } from './timers.js';

export type ContainerEventBody = Omit<ContainerEvent, 'type' | 't' | 'run' | 'pod' | 'container'>;

/** What a container needs from its pod: the pod's network, its deletion state, its event stream. */
export interface ContainerHost {
  endpointFor(c: ContainerPlan): ContainerEndpoint;
  readonly pidNamespace: boolean;
  /** The pod is being deleted or torn down: no restarts, no new liveness probe. */
  readonly deleting: boolean;
  now(): number;
  emit(container: string, body: ContainerEventBody): void;
  /** The container's readiness or listening state changed. */
  containerChanged(): void;
  /** Liveness or startup failure: the pod restarts the container through its kill path. */
  restartContainer(c: ContainerRuntime, detail: string): Promise<void>;
  /** A crashed container is started again (restartPolicy Always). */
  crashRestarted(): void;
}

/** A container that exited on its own: how, and what it said last. */
interface Crash {
  exit: ContainerExit;
  /** One line: how it ended and the output line that says why. */
  reason: string;
  /** The output line that says why, when it wrote one. */
  headline?: string;
  stderr: string[];
}

/** How long a crash report waits for the output still in the pipe after the exit. */
const OUTPUT_WAIT_MS = 200;

const ms = (s: number): number => s * 1000;

/** One container of a pod: its process across restarts, and its probers. */
export class ContainerRuntime {
  ready = false;
  startedOnce: Promise<void>;
  private markStarted: () => void = () => {};
  private proc: ContainerProcess | undefined;
  /** The running instance's environment and network, for its probes and hooks. */
  private endpoint: ContainerEndpoint | undefined;
  private readiness: Prober | undefined;
  private liveness: Prober | undefined;
  private startup: Prober | undefined;
  private crashes = 0;
  private killing = false;
  private lastCrash: Crash | undefined;
  /** The host port the container should listen on ($PORT), when it has one. */
  private port: number | undefined;

  /**
   * @param servesServicePort the pod's first main container: it has a port to listen on even
   * without declaring one (the Service's target port).
   */
  constructor(
    private readonly pod: ContainerHost,
    readonly plan: ContainerPlan,
    readonly sidecar: boolean,
    private readonly servesServicePort: boolean,
  ) {
    this.startedOnce = new Promise((r) => (this.markStarted = r));
  }

  start(): void {
    const podEndpoint = this.pod.endpointFor(this.plan);
    const proc = ContainerProcess.start({
      argv: this.plan.argv,
      env: podEndpoint.env,
      ...(podEndpoint.cwd ? { cwd: podEndpoint.cwd } : {}),
      ...(this.pod.pidNamespace ? { pidNamespace: true } : {}),
    });
    // Exec probes and hooks run "inside the container": with its environment and owner mark, so
    // whatever they leave behind ends with this instance of the container.
    const endpoint = { ...podEndpoint, env: proc.env };
    this.endpoint = endpoint;
    this.proc = proc;
    this.killing = false;
    this.pod.emit(this.plan.name, { action: 'start', detail: `pid ${proc.pid}` });
    void proc.exited.then((exit) => this.onExit(proc, exit));
    void this.watchListening(proc, endpoint);
    const afterStarted = (): void => {
      this.markStarted();
      this.startReadinessAndLiveness();
    };
    if (this.plan.startup) {
      // docs/reference/probes.md#fields-and-defaults: a startup probe disables the other probes until it succeeds.
      this.startup = new Prober('startup', this.plan.startup, endpoint, {
        onStarted: () => {
          this.pod.emit(this.plan.name, { action: 'probe-ok', probe: 'startup' });
          afterStarted();
        },
        onFailure: (detail) => {
          this.pod.emit(this.plan.name, { action: 'probe-fail', probe: 'startup', detail });
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
    return this.plan.ports.length > 0 || this.servesServicePort;
  }

  private async watchListening(proc: ContainerProcess, endpoint: ContainerEndpoint): Promise<void> {
    this.listeningAt = undefined;
    const port = Number(endpoint.env.PORT);
    if (!(port > 0)) return;
    this.port = port;
    while (proc.running && this.proc === proc) {
      const outcome = await tcpOnce({ port }, { ...endpoint, resolvePort: () => port }, 500);
      if (outcome.ok) {
        if (proc.running && this.proc === proc) {
          this.listeningAt = this.pod.now();
          this.pod.emit(this.plan.name, { action: 'listening', detail: `port ${port}` });
          this.pod.containerChanged();
        }
        return;
      }
      await sleep(50);
    }
  }

  private startReadinessAndLiveness(): void {
    const endpoint = this.endpoint ?? this.pod.endpointFor(this.plan);
    if (this.plan.readiness) {
      this.readiness = new Prober('readiness', this.plan.readiness, endpoint, {
        onReady: (ready, detail) => {
          this.pod.emit(this.plan.name, { action: ready ? 'probe-ok' : 'probe-fail', probe: 'readiness', detail });
          this.ready = ready && this.proc?.running === true;
          this.pod.containerChanged();
        },
      });
      this.readiness.start();
    } else {
      // docs/reference/probes.md#fields-and-defaults: no readiness probe means Success as soon as the container runs.
      this.ready = true;
      this.pod.containerChanged();
    }
    if (this.plan.liveness && !this.pod.deleting) {
      this.liveness = new Prober('liveness', this.plan.liveness, endpoint, {
        onFailure: (detail) => {
          this.pod.emit(this.plan.name, { action: 'probe-fail', probe: 'liveness', detail });
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
    if (this.killing) return this.exited(exit, undefined);
    // A crash: why is in what the process wrote last, which may still be in the pipe.
    void Promise.race([proc.outputDone, sleep(OUTPUT_WAIT_MS)]).then(() => this.exited(exit, this.crashOf(proc, exit)));
  }

  private crashOf(proc: ContainerProcess, exit: ContainerExit): Crash {
    const stderr = proc.lastStderr();
    return { exit, stderr, ...explainCrash(exit, stderr, proc.lastOutput()) };
  }

  private exited(exit: ContainerExit, crash: Crash | undefined): void {
    this.pod.emit(this.plan.name, {
      action: 'exit',
      exitCode: exit.code ?? (exit.signal ? (exitCodeForSignal(exit.signal) ?? null) : null),
      ...(exit.signal ? { signal: exit.signal } : {}),
      ...(crash?.headline ? { detail: crash.headline } : {}),
      ...(crash && crash.stderr.length > 0 ? { stderr: crash.stderr } : {}),
    });
    this.ready = false;
    this.stopAll();
    this.pod.containerChanged();
    if (!crash || this.killing || this.pod.deleting) return;
    // A crash: restartPolicy Always restarts it; no preStop runs for a container that exited (docs/reference/pod-termination.md#hook-facts). Back-off doubles from 1 s (the kubelet starts at 10 s; shortened for the lab).
    this.crashes++;
    this.lastCrash = crash;
    const backoff = Math.min(1000 * 2 ** (this.crashes - 1), 30_000);
    const restart = setTimeout(() => {
      if (this.pod.deleting) return;
      this.pod.crashRestarted();
      this.pod.emit(this.plan.name, { action: 'restart', detail: `crashed (${describeExit(exit)})` });
      this.start();
    }, backoff);
    restart.unref();
  }

  /**
   * `killContainer` (docs/reference/pod-termination.md#per-container-kill, docs/reference/pod-termination.md#each-container): preStop raced against the grace period, the stop
   * signal at min(P, G), SIGKILL to the group after max(G − floor(min(P, G)), 2) more seconds.
   * `turn` delays the stop signal (not the preStop) until earlier containers are gone (docs/reference/feature-versions.md#native-sidecars).
   */
  async kill(graceSeconds: number, t0: number, turn: Promise<unknown> | undefined): Promise<void> {
    const proc = this.proc;
    if (!proc?.running) return;
    this.killing = true;
    const deadline = t0 + ms(graceSeconds);
    const hook = this.plan.preStop;
    if (hook && graceSeconds > 0) {
      this.pod.emit(this.plan.name, { action: 'prestop-start' });
      const hookRun = runHook(hook, this.endpoint ?? this.pod.endpointFor(this.plan)).then((o) => {
        this.pod.emit(this.plan.name, { action: 'prestop-end', detail: o.ok ? o.detail : `FailedPreStopHook: ${o.detail}` });
      });
      // The kubelet waits for the hook at most the grace period and does not cancel it.
      await Promise.race([hookRun, sleepUntil(deadline), proc.exited]);
    }
    if (turn) await Promise.race([turn, sleepUntil(deadline), proc.exited]);
    if (!proc.running) return;
    const elapsedSeconds = (performance.now() - t0) / 1000;
    const timeline = shutdownTimeline(graceSeconds, elapsedSeconds);
    this.pod.emit(this.plan.name, { action: 'signal', signal: this.plan.stopSignal, detail: `SIGKILL in ${timeline.appWindow} s` });
    proc.signal(this.plan.stopSignal);
    const exited = await Promise.race([proc.exited.then(() => true), sleep(ms(timeline.appWindow)).then(() => false)]);
    if (!exited && proc.running) {
      this.pod.emit(this.plan.name, { action: 'kill', signal: 'SIGKILL' });
      proc.kill();
      await proc.exited;
    }
  }

  describe(): string {
    const proc = this.proc;
    if (!proc) return 'not started';
    const exit = proc.exitStatus;
    const notListening = this.listeningAt === undefined && this.hasPort;
    const state = exit
      ? `exited (${describeExit(exit)})`
      : notListening
        ? `running${this.ready ? ' and ready' : ''}, not accepting connections on its port ${this.port ?? '?'} ($PORT)`
        : this.ready
          ? 'ready'
          : 'running, not ready';
    const crash = this.lastCrash;
    if (crash) return `${state}; crashed ${this.crashes}× (last: ${crash.reason})`;
    const out = proc.lastOutput().slice(-2).join(' | ');
    return `${state}${out ? `; last output: ${out}` : ''}`;
  }

  forceKill(): void {
    this.killing = true;
    this.stopAll();
    this.proc?.kill();
  }
}
