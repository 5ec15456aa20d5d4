import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (works from src/ under vitest and from dist/ when installed). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

export type Requirement = 'graceful' | 'nginx';

export interface ScenarioRun {
  /** Lab file, relative to examples/. */
  labFile: string;
  /** What the run must show: `fail` = it drops requests, `pass` = zero drops. */
  expect: 'fail' | 'pass';
  requires?: Requirement;
}

export interface Scenario {
  name: string;
  description: string;
  /**
   * Whether the cause of the drops can be seen in the manifests alone, so the audit must agree
   * with the lab (audit errors ⇔ drops). False when it depends on the client or the app's code.
   */
  causeVisibleInManifests: boolean;
  runs: ScenarioRun[];
}

/** The default: the talk's progression, replayed on the bundled demo app (issue 4). */
export const TALK: Scenario = {
  name: 'talk',
  description: 'The talk replayed: 4 replicas of the demo app behind an ingress-like proxy; baseline and probes drop requests, probes-prestop and in-app drop none.',
  causeVisibleInManifests: true,
  runs: [
    { labFile: 'talk/baseline.lab.yaml', expect: 'fail' },
    { labFile: 'talk/probes.lab.yaml', expect: 'fail' },
    { labFile: 'talk/probes-prestop.lab.yaml', expect: 'pass' },
    { labFile: 'talk/in-app.lab.yaml', expect: 'pass', requires: 'graceful' },
  ],
};

export const SCENARIOS: readonly Scenario[] = [TALK];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export function labFilePath(run: ScenarioRun): string {
  return path.join(EXAMPLES_DIR, run.labFile);
}

/** The run's name: the lab file's base name without `.lab.yaml`. */
export function runName(run: ScenarioRun): string {
  return path.basename(run.labFile).replace(/\.lab\.ya?ml$/, '');
}

/** Why a run cannot happen here, or undefined when it can. */
export function missingRequirement(run: ScenarioRun, nginxAvailable: boolean): string | undefined {
  if (run.requires === 'graceful' && !existsSync(path.join(PACKAGE_ROOT, 'dist', 'graceful', 'index.js'))) return 'not yet available: needs zerodrop\'s in-app graceful library (src/graceful)';
  if (run.requires === 'nginx' && !nginxAvailable) return 'skipped: nginx is not installed (apt-get install nginx)';
  return undefined;
}
