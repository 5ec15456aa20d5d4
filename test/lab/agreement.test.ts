import { describe, expect, it } from 'vitest';
import { readLabFile } from '../../src/lab/config/labFile.js';
import { configureFromLabFile } from '../../src/lab/run/configure.js';
import { auditForLab } from '../../src/lab/run/audit.js';
import { SCENARIOS, labFilePath, runName, type ScenarioRun } from '../../src/lab/scenarios/catalog.js';

// The audit and the lab agree (audit errors ⇔ drops) on every bundled scenario whose cause is
// visible in the manifests. Each run's `expect` is what the lab shows (checked by
// end-to-end.test.ts and scenarios-slow.test.ts); here the audit, with the lab's own propagation
// assumption, must predict the same thing.

/**
 * Where the audit and the lab disagree today, and why. The test fails when this list is wrong in
 * either direction, so fixing a rule forces the entry out.
 */
const KNOWN_DISAGREEMENTS: Record<string, string> = {};

/**
 * Runs whose drops a warning predicts: the rule's default timing (a load balancer's removal time,
 * a health-check window, a mesh proxy's shutdown) is an assumption, so it warns rather than errs,
 * while the scenario states the numbers on its objects. For these runs the named rule must report
 * the failing run and be silent on every fixed run of the scenario; errors ⇔ drops is asserted
 * for all other runs, these scenarios' fixed runs included.
 */
const PREDICTED_BY_WARNING: Record<string, string> = {
  // The ALB's removal time (zerodrop.dev/removal-seconds: 8 on the Ingress) against preStop 4 s.
  'alb-ip-targets/prestop-4s': 'prestop-shorter-than-propagation',
  // externalTrafficPolicy: Local with health checks 2 s × 3 against preStop 2 s.
  'node-local/prestop-2s': 'local-traffic-policy-drops',
  // linkerd.io/inject: enabled without proxy-wait-before-exit-seconds, app preStop 5 s.
  'linkerd-proxy-shutdown/no-wait': 'linkerd-proxy-refuses-during-prestop',
};

/**
 * Runs whose drops a named rule's error predicts: for these the agreement is not only "some
 * error", but that rule's finding on the failing run and no finding of it on the scenario's fixed
 * runs.
 */
const PREDICTED_BY_ERROR: Record<string, string> = {
  // nginx:1.19.4 (STOPSIGNAL SIGTERM): nginx's fast shutdown.
  'nginx-stopsignal/sigterm': 'stop-signal-mismatch',
  // A unicorn image built without STOPSIGNAL: SIGTERM is unicorn's quick shutdown.
  'unicorn-stopsignal/sigterm': 'stop-signal-mismatch',
};

async function auditOf(run: ScenarioRun) {
  const config = await configureFromLabFile(readLabFile(labFilePath(run)), {}, 'test');
  return auditForLab(config.sources, config.workload.target, config.propagation.maxMs);
}

describe('audit ⇔ lab agreement on the bundled scenarios', () => {
  const visible = SCENARIOS.filter((s) => s.causeVisibleInManifests).flatMap((s) => s.runs.map((r) => ({ scenario: s.name, run: r })));

  it('covers every scenario whose cause is visible in the manifests, and says so for the others', () => {
    expect(visible.length).toBeGreaterThanOrEqual(8);
    for (const s of SCENARIOS.filter((x) => !x.causeVisibleInManifests))
      expect(s.description).toMatch(/not (visible )?in the manifests|not the manifests|not visible/);
  });

  it('reads every bundled manifest without input errors, annotations such as in-app-drain: "adaptive" included', async () => {
    for (const s of SCENARIOS) for (const run of s.runs) expect((await auditOf(run)).inputErrors, `${s.name}/${runName(run)}`).toEqual([]);
  });

  it('names only runs that drop requests as predicted by a warning', () => {
    const failing = new Set(visible.filter((v) => v.run.expect === 'fail').map((v) => `${v.scenario}/${runName(v.run)}`));
    for (const key of Object.keys(PREDICTED_BY_WARNING)) expect(failing, key).toContain(key);
  });

  it('a run predicted by a warning is reported by that rule, which is silent on the fixed runs', async () => {
    for (const [key, rule] of Object.entries(PREDICTED_BY_WARNING)) {
      const [scenario] = key.split('/');
      const entry = visible.find((v) => `${v.scenario}/${runName(v.run)}` === key);
      expect(entry, key).toBeDefined();
      expect(
        (await auditOf(entry!.run)).findings.map((f) => f.rule),
        key,
      ).toContain(rule);
      for (const fixed of SCENARIOS.find((x) => x.name === scenario)!.runs.filter((r) => r.expect === 'pass'))
        expect(
          (await auditOf(fixed)).findings.map((f) => f.rule),
          `${scenario}/${runName(fixed)}`,
        ).not.toContain(rule);
    }
  });

  it('a run predicted by a named error is reported by that rule as an error, which is silent on the fixed runs', async () => {
    for (const [key, rule] of Object.entries(PREDICTED_BY_ERROR)) {
      const [scenario] = key.split('/');
      const entry = visible.find((v) => `${v.scenario}/${runName(v.run)}` === key);
      expect(entry?.run.expect, key).toBe('fail');
      const errors = (await auditOf(entry!.run)).findings.filter((f) => f.severity === 'error').map((f) => f.rule);
      expect(errors, key).toContain(rule);
      for (const fixed of SCENARIOS.find((x) => x.name === scenario)!.runs.filter((r) => r.expect === 'pass'))
        expect(
          (await auditOf(fixed)).findings.map((f) => f.rule),
          `${scenario}/${runName(fixed)}`,
        ).not.toContain(rule);
    }
  });

  it('audit errors predict drops exactly where the lab drops requests', async () => {
    const disagreements: Record<string, string> = {};
    for (const { scenario, run } of visible) {
      const audit = await auditOf(run);
      expect(audit.inputErrors, `${scenario}/${runName(run)}`).toEqual([]);
      if (PREDICTED_BY_WARNING[`${scenario}/${runName(run)}`]) continue;
      const labDrops = run.expect === 'fail';
      if (audit.predictsDrops !== labDrops) {
        disagreements[`${scenario}/${runName(run)}`] = `lab ${labDrops ? 'drops' : 'drops none'}, audit ${
          audit.predictsDrops
            ? `errors: ${audit.findings
                .filter((f) => f.severity === 'error')
                .map((f) => f.rule)
                .join(', ')}`
            : 'has no errors'
        }`;
      }
    }
    expect(Object.keys(disagreements).sort(), JSON.stringify(disagreements, null, 2)).toEqual(Object.keys(KNOWN_DISAGREEMENTS).sort());
  });
});
