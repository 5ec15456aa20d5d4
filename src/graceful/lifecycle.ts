/**
 * The shutdown sequence, in the order Kubernetes needs it (docs/reference/traffic-routing.md#endpointslice-conditions, docs/reference/traffic-routing.md#kube-proxy, docs/reference/traffic-routing.md#ingress-and-load-balancers, docs/reference/traffic-routing.md#propagation-latency, docs/reference/node-http.md#closing-a-server):
 *
 *   signal ─► propagating: readiness 503, keep serving (endpoint removal propagates): for drainDelayMs
 *             (fixed), or until no new traffic for quietPeriodMs (adaptive: at least drainDelayMs, at
 *             most maxDrainDelayMs, with Connection: close / GOAWAY from the signal on)
 *          ─► draining: stop listening; Connection: close / GOAWAY; idle sockets closed after a grace;
 *                       upgraded sockets handed to the app; in-flight requests finish
 *          ─► cleaning-up: cleanup hooks, last registered first, bounded by the time left
 *          ─► stopped: exit 0
 *   deadline (timeoutMs after the signal) at any point ─► destroy what is left, log why, exit non-zero
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ZerodropError } from '../errors.js';
import { Http1Connections } from './http1-connections.js';
import { Http2Sessions } from './http2-sessions.js';
import { keepAliveTimeoutWarning } from './keep-alive-check.js';
import { guardLogger, silentLogger, stderrLogger, type GracefulLogger } from './logger.js';
import { resolveOptions, type GracefulOptions, type ResolvedOptions } from './options.js';
import { ProbeResponder, type ReadinessCheck } from './probes.js';
import { serverKind, type ServerKind } from './server-kind.js';
import { finGraceMs } from './socket-close.js';
import { decideQuiet, TrafficWatch } from './traffic-watch.js';
import { UpgradedSockets } from './upgraded-sockets.js';

/** While the adaptive drain waits for traffic to stop, it says why this often. */
export const ADAPTIVE_REPORT_EVERY_MS = 2_000;

export type Phase = 'starting' | 'ready' | 'propagating' | 'draining' | 'cleaning-up' | 'stopped';

export interface PhaseEvent {
  phase: Phase;
  /** Epoch milliseconds. */
  at: number;
  /** Milliseconds since the stop signal; absent before it. */
  sinceSignalMs?: number;
  /** What caused the stop (signal name or `shutdown()` reason). */
  reason?: string;
  /** On `stopped`: whether the deadline forced it. */
  forced?: boolean;
  /** On `stopped`: the exit code. */
  exitCode?: number;
}

export interface ShutdownResult {
  exitCode: number;
  forced: boolean;
  reason: string;
  /** Milliseconds from the stop signal to `stopped`. */
  durationMs: number;
}

export interface CleanupContext {
  /** Aborted when the hard deadline fires. */
  signal: AbortSignal;
  /** Milliseconds left until the hard deadline. */
  remainingMs: number;
}

export type CleanupHook = (context: CleanupContext) => unknown;

/** Any server `graceful()` accepts; narrowed at runtime by `serverKind`. */
export type GracefulServer = net.Server;

const attached = new WeakSet<object>();

export interface Lifecycle {
  on(event: 'phase', listener: (event: PhaseEvent) => void): this;
  once(event: 'phase', listener: (event: PhaseEvent) => void): this;
  off(event: 'phase', listener: (event: PhaseEvent) => void): this;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: types the EventEmitter's 'phase' event; the class declares no members of the same names
export class Lifecycle extends EventEmitter {
  private currentPhase: Phase;
  private readonly options: ResolvedOptions;
  private readonly logger: GracefulLogger;
  private readonly kind: ServerKind;
  private readonly http1: Http1Connections;
  private readonly http2: Http2Sessions;
  private readonly upgraded = new UpgradedSockets();
  private readonly traffic = new TrafficWatch();
  /** Raw TCP sockets of TLS servers, including ones still in the handshake, for the deadline. */
  private readonly rawSockets = new Set<Socket>();
  private readonly readinessChecks = new Map<string, ReadinessCheck>();
  private readonly cleanups: { name: string; hook: CleanupHook }[] = [];
  private readonly signalHandlers = new Map<NodeJS.Signals, () => void>();
  private readonly deadlineAbort = new AbortController();
  private readonly restoreEmit: () => void;
  private stopping: Promise<ShutdownResult> | undefined;
  private resolveStopped: ((result: ShutdownResult) => void) | undefined;
  private signalAt = 0;
  /** `performance.now()` at the stop signal, for the adaptive drain's interval arithmetic. */
  private signalPerf = 0;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private cleanupFailed = false;
  /** The separate probe server, when `probes.port` is set. */
  readonly probeServer: http.Server | undefined;

  constructor(
    private readonly server: GracefulServer,
    options: GracefulOptions = {},
  ) {
    super();
    this.kind = serverKind(server);
    this.options = resolveOptions(options);
    if (attached.has(server)) {
      throw new ZerodropError(
        'graceful-already-attached',
        'zerodrop/graceful: graceful() was already attached to this server; keep the first lifecycle and reuse it.',
      );
    }
    attached.add(server);
    this.logger = options.logger === false ? silentLogger : options.logger ? guardLogger(options.logger) : stderrLogger;
    for (const warning of this.options.warnings) this.logger.warn(warning);
    this.currentPhase = this.options.ready ? 'ready' : 'starting';
    this.http1 = new Http1Connections(this.options.idleGraceMs, () => this.http2.size > 0 || this.upgraded.size > 0);
    this.http2 = new Http2Sessions();

    const probes = this.options.probes;
    const responder = probes
      ? new ProbeResponder(probes, {
          phase: () => this.currentPhase,
          acceptingTraffic: () => this.currentPhase === 'ready',
          checks: () => this.readinessChecks,
        })
      : undefined;
    const answerOnAppServer = probes && probes.port === undefined ? responder : undefined;
    this.restoreEmit = this.interceptRequests(answerOnAppServer);
    this.trackConnections();
    if (probes && probes.port !== undefined && responder) {
      this.probeServer = http.createServer((req, res) => {
        if (responder.tryAnswer(req, res)) return;
        res.statusCode = 404;
        res.end();
      });
      this.probeServer.on('error', (error) => this.logger.error(`probe server on ${probes.host}:${probes.port} failed: ${error.message}`));
      this.probeServer.listen(probes.port, probes.host);
    }
    this.warnAboutKeepAliveTimeout();
    this.installSignalHandlers();
  }

  get phase(): Phase {
    return this.currentPhase;
  }

  /** Marks the app warmed up: readiness answers 200 from now on (until shutdown). */
  ready(): void {
    if (this.currentPhase === 'starting') this.enter('ready');
  }

  /** Adds a check that readiness runs on every probe; its result appears in the probe body. */
  addReadinessCheck(name: string, check: ReadinessCheck): void {
    if (typeof name !== 'string' || name === '')
      throw new ZerodropError('graceful-invalid-option', 'zerodrop/graceful: addReadinessCheck(name, check) needs a non-empty name');
    if (typeof check !== 'function')
      throw new ZerodropError('graceful-invalid-option', `zerodrop/graceful: addReadinessCheck("${name}", check): check must be a function`);
    this.readinessChecks.set(name, check);
  }

  /**
   * Adds a hook that runs after the last request drained (close the database here, not on the
   * signal). Hooks run last-registered first, each bounded by the time left to the deadline.
   */
  addCleanup(name: string, hook: CleanupHook): void {
    if (typeof hook !== 'function')
      throw new ZerodropError('graceful-invalid-option', `zerodrop/graceful: addCleanup("${name}", hook): hook must be a function`);
    this.cleanups.push({ name, hook });
  }

  /** Starts the shutdown sequence as if a stop signal arrived; resolves when it is over. */
  shutdown(reason = 'shutdown() called'): Promise<ShutdownResult> {
    if (this.stopping) return this.stopping;
    this.stopping = new Promise((resolve) => (this.resolveStopped = resolve));
    this.signalAt = Date.now();
    this.signalPerf = performance.now();
    this.deadlineTimer = setTimeout(() => this.force(), this.options.timeoutMs);
    void this.runSequence(reason);
    return this.stopping;
  }

  private async runSequence(reason: string): Promise<void> {
    const { drain, drainDelayMs, quietPeriodMs, maxDrainDelayMs, timeoutMs, timeoutSource } = this.options;
    const deadline = `deadline ${timeoutMs} ms, from ${timeoutSource}`;
    let why = '';
    if (drain === 'adaptive') {
      this.enter(
        'propagating',
        reason,
        `${reason}: readiness now fails; serving with Connection: close (HTTP/2: GOAWAY) until no new request or connection for ${quietPeriodMs} ms, ` +
          `at least ${drainDelayMs} ms and at most ${maxDrainDelayMs} ms (${deadline})`,
      );
      this.traffic.start();
      this.http1.startClosing();
      this.http2.startDraining();
      why = await this.waitForQuiet();
    } else {
      this.enter(
        'propagating',
        reason,
        `${reason}: readiness now fails; serving normally for ${drainDelayMs} ms while endpoint removal propagates (${deadline})`,
      );
      await this.sleepUnlessForced(drainDelayMs);
    }
    if (this.finished) return;

    const drained = this.stopAccepting();
    this.http1.startDraining();
    this.http2.startDraining();
    this.upgraded.handOff({
      hook: this.options.onUpgradedSocket,
      deadlineAt: this.signalAt + timeoutMs,
      onHookError: (error) => this.logger.error(`onUpgradedSocket threw: ${String(error)}`),
      finGraceMs: finGraceMs(this.options.idleGraceMs),
    });
    this.enter(
      'draining',
      reason,
      `draining: ${why}stopped accepting; ${this.http1.inFlight()} requests in flight on ${this.http1.size} HTTP/1 sockets, ${this.http2.size} HTTP/2 sessions, ${this.upgraded.size} upgraded sockets`,
    );
    await Promise.race([drained, this.deadlineReached()]);
    this.http1.stop();
    if (this.finished) return;

    this.enter(
      'cleaning-up',
      reason,
      `cleaning up: drained ${Date.now() - this.signalAt} ms after the signal (${this.http1.endedIdle} idle keep-alive sockets closed); running ${this.cleanups.length} cleanup hooks`,
    );
    for (const { name, hook } of [...this.cleanups].reverse()) {
      await this.runCleanup(name, hook);
      if (this.finished) return;
    }
    this.finish(this.cleanupFailed ? this.options.forcedExitCode : 0, false, reason);
  }

  /**
   * The adaptive drain's wait: until no request and no unused new connection for quietPeriodMs,
   * no earlier than drainDelayMs, no later than maxDrainDelayMs. Returns the reason, for the log.
   */
  private async waitForQuiet(): Promise<string> {
    const { drainDelayMs, quietPeriodMs, maxDrainDelayMs } = this.options;
    let reportAt = drainDelayMs;
    let reportedAt = 0;
    this.traffic.takeCounts();
    while (!this.finished) {
      const now = performance.now();
      const sinceSignalMs = now - this.signalPerf;
      const lastActivity = Math.max(this.traffic.lastRequest, this.http1.newestUnusedSince(), this.http2.newestUnusedSince());
      const quietForMs = now - lastActivity;
      const decision = decideQuiet({ sinceSignalMs, quietForMs, drainDelayMs, quietPeriodMs, maxDrainDelayMs });
      if ('stop' in decision) {
        const at = Math.round(sinceSignalMs);
        if (decision.stop === 'quiet') return `no new request or connection for ${quietPeriodMs} ms (${at} ms after the signal); `;
        this.logger.warn(
          `traffic was still arriving ${at} ms after the signal (maxDrainDelayMs ${maxDrainDelayMs} ms, the last request ${Math.round(quietForMs)} ms ago): ` +
            'stopping to accept anyway so that requests in flight can finish before the deadline; a proxy that still sends new connections here gets them refused',
        );
        return `stopped waiting for traffic to end at maxDrainDelayMs (${at} ms after the signal); `;
      }
      if (sinceSignalMs >= reportAt) {
        const { requests, connections } = this.traffic.takeCounts();
        const window = Math.round(sinceSignalMs - reportedAt);
        this.logger.info(
          `still serving ${Math.round(sinceSignalMs)} ms after the signal: ${requests} requests and ${connections} new connections in the last ${window} ms, ` +
            `the last ${Math.round(quietForMs)} ms ago; waiting for ${quietPeriodMs} ms without new traffic (at most until ${maxDrainDelayMs} ms)`,
        );
        reportedAt = sinceSignalMs;
        reportAt = sinceSignalMs + ADAPTIVE_REPORT_EVERY_MS;
      }
      await this.sleepUnlessForced(Math.min(decision.waitMs, Math.max(1, reportAt - sinceSignalMs)));
    }
    return '';
  }

  private async runCleanup(name: string, hook: CleanupHook): Promise<void> {
    const remainingMs = Math.max(0, this.signalAt + this.options.timeoutMs - Date.now());
    try {
      await Promise.race([Promise.resolve().then(() => hook({ signal: this.deadlineAbort.signal, remainingMs })), this.deadlineReached()]);
    } catch (error) {
      this.cleanupFailed = true;
      this.logger.error(`cleanup hook "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Closes the listener without Node's idle sweep (`http.Server#close` destroys idle sockets at once). */
  private stopAccepting(): Promise<void> {
    return new Promise((resolve) => {
      // The callback fires when the last connection is gone; with an error if we never listened.
      net.Server.prototype.close.call(this.server, () => resolve());
    });
  }

  private deadlineReached(): Promise<void> {
    const signal = this.deadlineAbort.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  private sleepUnlessForced(ms: number): Promise<void> {
    const signal = this.deadlineAbort.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private force(): void {
    if (this.finished) return;
    const open =
      `${this.http1.inFlight()} requests in flight on ${this.http1.size} HTTP/1 sockets, ` +
      `${this.http2.size} HTTP/2 sessions, ${this.upgraded.size} upgraded sockets`;
    const where = this.currentPhase === 'cleaning-up' ? 'while cleanup hooks were still running' : `in phase ${this.currentPhase} with ${open}`;
    const reason = `hard deadline of ${this.options.timeoutMs} ms (from ${this.options.timeoutSource}) reached ${where}; destroying what is left`;
    this.logger.error(reason);
    this.deadlineAbort.abort(new Error(reason));
    this.http1.stop();
    this.http1.destroyAll();
    this.http2.destroyAll();
    this.upgraded.destroyAll();
    for (const socket of this.rawSockets) socket.destroy();
    const closeAll = (this.server as Partial<http.Server>).closeAllConnections;
    if (typeof closeAll === 'function') closeAll.call(this.server);
    this.finish(this.options.forcedExitCode, true, reason);
  }

  private finish(exitCode: number, forced: boolean, reason: string): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadlineTimer);
    const durationMs = Date.now() - this.signalAt;
    this.removeSignalHandlers();
    this.probeServer?.close();
    this.probeServer?.closeAllConnections();
    const message = forced ? `stopped by the deadline after ${durationMs} ms; exit ${exitCode}` : `stopped after ${durationMs} ms; exit ${exitCode}`;
    this.enter('stopped', reason, message, { forced, exitCode });
    this.resolveStopped?.({ exitCode, forced, reason, durationMs });
    if (this.options.exit) process.exit(exitCode);
    else this.restoreEmit();
  }

  private enter(phase: Phase, reason?: string, message?: string, extra: Partial<PhaseEvent> = {}): void {
    this.currentPhase = phase;
    if (message) this.logger.info(message);
    const event: PhaseEvent = { phase, at: Date.now(), ...extra };
    if (this.signalAt) event.sinceSignalMs = event.at - this.signalAt;
    if (reason !== undefined) event.reason = reason;
    try {
      this.emit('phase', event);
    } catch (error) {
      this.logger.error(`a 'phase' listener threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Node emits `request` (HTTP/1 and the HTTP/2 compatibility API) and `upgrade`/`connect` through
   * `server.emit`. Wrapping it on this instance lets probes answer before any app listener,
   * including ones added later (fastify, hono and express all add theirs at construction), and
   * counts requests without wrapping the app's handlers.
   */
  private interceptRequests(probes: ProbeResponder | undefined): () => void {
    const server = this.server;
    const originalEmit = server.emit;
    const http1 = this.http1;
    const http2 = this.http2;
    const upgraded = this.upgraded;
    const traffic = this.traffic;
    // No rest parameters: this runs for every request, and `arguments` avoids an array per call.
    const intercepted = function (this: unknown, event: string | symbol, first?: unknown, second?: unknown): boolean {
      if (event === 'request') {
        const req = first as http.IncomingMessage;
        const res = second as http.ServerResponse;
        const h1 = req.httpVersionMajor !== 2;
        if (h1) http1.onRequest(req, res);
        if (probes?.tryAnswer(req, res)) return true;
        // HTTP/2 requests count as traffic through their 'stream' event.
        if (h1 && traffic.watching) traffic.request();
      } else if (event === 'checkContinue' || event === 'checkExpectation') {
        // Requests with an Expect header reach the app through these events instead of 'request'.
        http1.onRequest(first as http.IncomingMessage, second as http.ServerResponse);
        if (traffic.watching) traffic.request();
      } else if (event === 'stream') {
        const stream = first as ServerHttp2Stream;
        http2.sawStream(stream.session as Http2Session);
        if (traffic.watching && !probes?.isProbe(String((second as IncomingHttpHeaders)[':method']), String((second as IncomingHttpHeaders)[':path'])))
          traffic.request();
      } else if (event === 'upgrade' || event === 'connect') {
        const socket = second as Socket;
        http1.forget(socket);
        upgraded.track(socket as Duplex);
        if (traffic.watching) traffic.request();
      }
      // biome-ignore lint/complexity/noArguments: the hot path forwards every argument without allocating a rest array
      return Reflect.apply(originalEmit, this, arguments) as boolean;
    };
    server.emit = intercepted as typeof server.emit;
    return () => {
      if (server.emit === intercepted) server.emit = originalEmit;
    };
  }

  private trackConnections(): void {
    const server = this.server;
    server.on(this.kind === 'http' || this.kind === 'http2' ? 'connection' : 'secureConnection', () => {
      if (this.traffic.watching) this.traffic.connection();
    });
    switch (this.kind) {
      case 'http':
        server.on('connection', (socket: Socket) => this.http1.track(socket));
        break;
      case 'https':
        server.on('connection', (socket: Socket) => this.trackRaw(socket));
        server.on('secureConnection', (socket: Socket) => this.http1.track(socket));
        break;
      case 'http2':
        server.on('session', (session: Http2Session) => this.http2.track(session));
        break;
      case 'http2-secure':
        server.on('connection', (socket: Socket) => this.trackRaw(socket));
        server.on('session', (session: Http2Session) => this.http2.track(session));
        // With allowHTTP1, sockets that did not negotiate h2 speak HTTP/1.1.
        server.on('secureConnection', (socket: Socket & { alpnProtocol?: string | false }) => {
          if (socket.alpnProtocol !== 'h2') this.http1.track(socket);
        });
        break;
    }
  }

  private trackRaw(socket: Socket): void {
    this.rawSockets.add(socket);
    socket.once('close', () => this.rawSockets.delete(socket));
  }

  private warnAboutKeepAliveTimeout(): void {
    const check = (): void => {
      const warning = keepAliveTimeoutWarning((this.server as Partial<http.Server>).keepAliveTimeout);
      if (warning) this.logger.warn(warning);
    };
    // Apps often set keepAliveTimeout after creating the server: read it when listening starts.
    if (this.server.listening) check();
    else this.server.once('listening', check);
  }

  private installSignalHandlers(): void {
    for (const signal of this.options.signals) {
      // Without a handler Node ignores SIGTERM as PID 1 in a container (docs/reference/signals.md#pid-1).
      const handler = (): void => {
        if (this.stopping) {
          // A second signal is ignored on purpose: a terminal's Ctrl-C reaches both npm and node,
          // so "second signal forces" would cut requests in ordinary use. The deadline still holds.
          this.logger.warn(`${signal} received again during shutdown; ignored (the deadline still applies)`);
          return;
        }
        void this.shutdown(signal);
      };
      this.signalHandlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  private removeSignalHandlers(): void {
    for (const [signal, handler] of this.signalHandlers) process.off(signal, handler);
    this.signalHandlers.clear();
  }
}
