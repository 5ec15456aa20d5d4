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
 * Runs that drop requests for a reason only a rule still being written can see (the traffic path
 * in front of the pods, a mesh proxy the cluster injects). Until that rule is on main the audit
 * predicts zero for them, and errors ⇔ drops is not asserted; the lab side (the drops) is
 * asserted by test/lab/traffic-paths.test.ts. As soon as the rule named here reports the run
 * (at any severity), it must stay silent on the scenario's fixed run, and when the audit predicts
 * drops on the run, that rule must be among the errors. An entry leaves this list when its rule
 * predicts the drops as an error.
 */
const AWAITING_RULE: Record<string, string> = {
  // The ALB's removal time (zerodrop.dev/removal-seconds: 8 on the Ingress) against preStop 4 s.
  'alb-ip-targets/prestop-4s': 'prestop-shorter-than-propagation',
  // externalTrafficPolicy: Local with health checks 2 s × 3 against preStop 2 s.
  'node-local/prestop-2s': 'local-traffic-policy-drops',
  // linkerd.io/inject: enabled without proxy-wait-before-exit-seconds, app preStop 5 s.
  'linkerd-proxy-shutdown/no-wait': 'linkerd-proxy-refuses-during-prestop',
};

/**
 * The audit of what the lab reads for a run, judging the Deployment it rolls, with the lab's own
 * propagation assumption.
 */
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

  it('names only runs that drop requests as awaiting a rule', () => {
    const failing = new Set(visible.filter((v) => v.run.expect === 'fail').map((v) => `${v.scenario}/${runName(v.run)}`));
    for (const key of Object.keys(AWAITING_RULE)) expect(failing, key).toContain(key);
  });

  it('a rule awaited by a run, once it reports the run, is silent on the fixed run and is the error that predicts the drops', async () => {
    for (const { scenario, run } of visible) {
      const key = `${scenario}/${runName(run)}`;
      const rule = AWAITING_RULE[key];
      if (!rule) continue;
      const audit = await auditOf(run);
      if (audit.predictsDrops)
        expect(
          audit.findings.filter((f) => f.severity === 'error').map((f) => f.rule),
          key,
        ).toContain(rule);
      if (!audit.findings.some((f) => f.rule === rule)) continue;
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
      if (AWAITING_RULE[`${scenario}/${runName(run)}`]) continue;
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
