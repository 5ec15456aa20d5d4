import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheckSettings } from './profile.js';

/** One check of one target: resolves true when it answered healthy within the timeout. Never rejects. */
export type HealthProbe = (timeoutMs: number) => Promise<boolean>;

/** An HTTP GET that counts 200–399 as healthy (what ELB and GCP health checks accept by default). */
export function httpProbe(host: string, port: number, path = '/'): HealthProbe {
  return (timeoutMs) =>
    new Promise((resolve) => {
      const req = request({ host, port, path, method: 'GET', agent: false, headers: { 'user-agent': 'zerodrop-lab-health-check' } }, (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400);
      });
      req.setTimeout(timeoutMs, () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
}

/** A TCP connect (the NLB's default health check for TCP listeners). */
export function tcpProbe(host: string, port: number): HealthProbe {
  return (timeoutMs) =>
    new Promise((resolve) => {
      const s = connect({ host, port });
      const done = (ok: boolean): void => {
        s.destroy();
        resolve(ok);
      };
      s.setTimeout(timeoutMs, () => done(false));
      s.once('connect', () => done(true));
      s.once('error', () => done(false));
    });
}

interface Target {
  probe: HealthProbe;
  healthy: boolean;
  /** Consecutive results against the current state. */
  streak: number;
  timer?: NodeJS.Timeout;
  checking: boolean;
}

/**
 * A load balancer's health checks: each target is probed every interval; it leaves the rotation
 * after `unhealthyThreshold` consecutive failures and comes back after `healthyThreshold`
 * consecutive successes. `onChange` hears every transition. The loop of each target is bounded by
 * `remove` and `close`; a probe never outlives its timeout.
 */
export class HealthChecker {
  private readonly targets = new Map<string, Target>();
  private closed = false;

  constructor(
    private readonly settings: HealthCheckSettings,
    private readonly onChange: (key: string, healthy: boolean) => void,
  ) {}

  /** Starts checking a target; `healthy` is its state until the checks say otherwise. */
  add(key: string, probe: HealthProbe, healthy: boolean): void {
    if (this.closed || this.targets.has(key)) return;
    const target: Target = { probe, healthy, streak: 0, checking: false };
    this.targets.set(key, target);
    this.schedule(key, target);
  }

  remove(key: string): void {
    const t = this.targets.get(key);
    if (t?.timer) clearTimeout(t.timer);
    this.targets.delete(key);
  }

  /** Sets a target's state as if its checks had settled there (the cluster before the measured window). */
  settle(key: string, healthy: boolean): void {
    const t = this.targets.get(key);
    if (!t) return;
    t.healthy = healthy;
    t.streak = 0;
  }

  isHealthy(key: string): boolean {
    return this.targets.get(key)?.healthy ?? false;
  }

  close(): void {
    this.closed = true;
    for (const key of [...this.targets.keys()]) this.remove(key);
  }

  private schedule(key: string, t: Target): void {
    t.timer = setTimeout(() => void this.check(key, t), this.settings.intervalSeconds * 1000);
  }

  private async check(key: string, t: Target): Promise<void> {
    if (this.closed || this.targets.get(key) !== t) return;
    // The next check is due one interval after this one started, whatever this one takes.
    this.schedule(key, t);
    if (t.checking) return;
    t.checking = true;
    const ok = await t.probe(this.settings.timeoutSeconds * 1000);
    t.checking = false;
    if (this.closed || this.targets.get(key) !== t) return;
    if (ok === t.healthy) {
      t.streak = 0;
      return;
    }
    t.streak++;
    const threshold = t.healthy ? this.settings.unhealthyThreshold : this.settings.healthyThreshold;
    if (t.streak < threshold) return;
    t.healthy = ok;
    t.streak = 0;
    this.onChange(key, ok);
  }
}
