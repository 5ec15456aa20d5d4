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

  it('audit errors predict drops exactly where the lab drops requests', async () => {
    const disagreements: Record<string, string> = {};
    for (const { scenario, run } of visible) {
      const audit = await auditOf(run);
      expect(audit.inputErrors, `${scenario}/${runName(run)}`).toEqual([]);
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
