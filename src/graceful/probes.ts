/**
 * Readiness and liveness endpoints. Readiness fails from the stop signal on (so load balancers
 * that probe the pod directly stop choosing it); liveness stays OK through the whole drain,
 * because the kubelet stops liveness probing on deletion anyway (docs/reference/probes.md#during-termination) and a
 * failing liveness probe during an app-initiated shutdown would get the container restarted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { ResolvedProbes } from './options.js';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface ProbeState {
  /** The current phase name, reported in every probe body. */
  phase(): string;
  /** True while the app is warmed up and no shutdown has started. */
  acceptingTraffic(): boolean;
  checks(): ReadonlyMap<string, ReadinessCheck>;
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

function matches(url: string, path: string): boolean {
  if (!url.startsWith(path)) return false;
  return url.length === path.length || url.charCodeAt(path.length) === 63; /* '?' */
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const outcome = Promise.resolve()
      .then(check)
      .then(
        (ok): CheckResult => (ok === true ? { ok: true } : { ok: false, error: 'returned false' }),
        (error: unknown): CheckResult => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runReadinessChecks(checks: ReadonlyMap<string, ReadinessCheck>, timeoutMs: number): Promise<Record<string, CheckResult>> {
  const names = [...checks.keys()];
  const results = await Promise.all(names.map((name) => runCheck(checks.get(name)!, timeoutMs)));
  return Object.fromEntries(names.map((name, i) => [name, results[i]!]));
}

function send(req: AnyRequest, res: AnyResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (req.method === 'HEAD') res.end();
  else res.end(text);
}

export class ProbeResponder {
  constructor(
    private readonly paths: ResolvedProbes,
    private readonly state: ProbeState,
  ) {}

  /** True for a request the probes answer. */
  isProbe(method: string | undefined, url: string | undefined): boolean {
    if (url === undefined || (method !== 'GET' && method !== 'HEAD')) return false;
    return matches(url, this.paths.livenessPath) || matches(url, this.paths.readinessPath);
  }

  /** Answers the request if it is a probe and returns true; returns false for app traffic. */
  tryAnswer(req: AnyRequest, res: AnyResponse): boolean {
    const url = req.url;
    if (url === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    if (matches(url, this.paths.livenessPath)) {
      send(req, res, 200, { status: 'alive', phase: this.state.phase() });
      return true;
    }
    if (matches(url, this.paths.readinessPath)) {
      void this.answerReadiness(req, res);
      return true;
    }
    return false;
  }

  private async answerReadiness(req: AnyRequest, res: AnyResponse): Promise<void> {
    const checks = this.state.checks();
    const results = checks.size === 0 ? {} : await runReadinessChecks(checks, this.paths.checkTimeoutMs);
    const ready = this.state.acceptingTraffic() && Object.values(results).every((r) => r.ok);
    if (res.writableEnded || res.destroyed) return;
    send(req, res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', phase: this.state.phase(), checks: results });
  }
}
