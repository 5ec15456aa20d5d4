/**
 * What `zerodrop lab` will run, decided and validated before any process starts: the talk (no
 * inputs), a bundled scenario, or the inputs given (each lab file, manifest file or directory is
 * one run, in order), each turned into a configured run or the reason it cannot run on this
 * machine. Every input mistake surfaces here, as one error.
 */
import path from 'node:path';
import { usageError, ZerodropError } from '../../errors.js';
import { looksLikeLabFile, readLabFile } from '../config/labFile.js';
import { pidNamespaceSupport } from '../pods/containerProcess.js';
import { nginxAvailable } from '../proxy/index.js';
import { SCENARIOS, TALK, findScenario, labFilePath, missingRequirement, runName, type Scenario } from '../scenarios/catalog.js';
import { configureFromLabFile, configureRun, type LabOverrides } from './configure.js';
import type { LabRunConfig } from './runLab.js';

/** What a run is meant to show: requests dropped, or none. */
export type Expectation = 'drops' | 'zero';

/** One planned run: configured (validated) up front, or the reason it cannot run here. */
export interface PlannedRun {
  name: string;
  config?: LabRunConfig;
  unavailable?: string;
  /**
   * Bundled talk and scenario runs declare what they demonstrate (some are meant to drop); a
   * user's own input is expected to drop nothing.
   */
  expect: Expectation;
  /** The lab file the run came from, when it came from one. */
  labFile?: string;
}

export interface LabPlanRequest {
  /** Lab files or manifests (files or directories); none means the talk. */
  inputs: readonly string[];
  scenario?: string;
  /** Only these runs of the scenario. */
  runs?: readonly string[];
  overrides: LabOverrides;
  /** The command line that reproduces the runs (recorded in each run's events). */
  command: string;
  cwd: string;
}

export interface LabPlan {
  runs: PlannedRun[];
  /** True when the plan is the talk replayed on the demo app (no inputs, no scenario). */
  talk: boolean;
}

export async function planLabRuns(request: LabPlanRequest): Promise<LabPlan> {
  checkEnvironment(request.overrides);
  const runs = await planned(request);
  if (!runs.some((p) => p.config))
    throw usageError('lab-nothing-to-run', `no run can start here: ${runs.map((p) => `${p.name}: ${p.unavailable}`).join('; ')}`);
  return { runs, talk: request.inputs.length === 0 && !request.scenario };
}

/** Every file and directory the planned runs read: what no output may overwrite. */
export function labInputPaths(plan: LabPlan, inputs: readonly string[]): string[] {
  const read = new Set(inputs);
  for (const p of plan.runs) {
    if (p.labFile) read.add(p.labFile);
    for (const m of p.config?.manifests ?? []) read.add(m);
  }
  return [...read];
}

async function planned(r: LabPlanRequest): Promise<PlannedRun[]> {
  const o = r.overrides;
  if (r.scenario && r.inputs.length > 0) throw usageError('conflicting-flags', '--scenario runs bundled files; do not also pass inputs');
  if (r.scenario || r.inputs.length === 0) {
    const scenario: Scenario | undefined = r.scenario ? findScenario(r.scenario) : TALK;
    if (!scenario) throw usageError('lab-unknown-scenario', `unknown scenario "${r.scenario}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    const only = r.runs;
    const runs = scenario.runs.filter((run) => !only || only.includes(runName(run)));
    if (only && runs.length === 0) throw usageError('lab-unknown-run', `--runs: scenario ${scenario.name} has runs ${scenario.runs.map(runName).join(', ')}`);
    const nginx = nginxAvailable();
    const out: PlannedRun[] = [];
    for (const run of runs) {
      const name = runName(run);
      const expect: Expectation = run.expect === 'fail' ? 'drops' : 'zero';
      const missing = missingRequirement(run, nginx);
      if (missing) {
        out.push({ name, unavailable: missing, expect });
        continue;
      }
      const file = labFilePath(run);
      const config = await configureFromLabFile(readLabFile(file), o, `zerodrop lab ${path.relative(r.cwd, file)}`, name);
      out.push({ name, config, expect, labFile: file });
    }
    return out;
  }
  if (r.runs) throw usageError('conflicting-flags', '--runs picks runs of a bundled scenario; with inputs, pass only the inputs to run');
  const names = new Set<string>();
  const out: PlannedRun[] = [];
  for (const input of r.inputs) {
    if (looksLikeLabFile(input)) {
      const lab = readLabFile(input);
      const name = uniqueName(lab.name ?? inputRunName(input, r.cwd), names);
      out.push({ name, config: await configureFromLabFile(lab, o, r.command, name), expect: 'zero', labFile: input });
    } else {
      const name = uniqueName(inputRunName(input, r.cwd), names);
      out.push({ name, config: await configureRun({ name, manifests: [input], images: {}, cwd: r.cwd, command: r.command }, o), expect: 'zero' });
    }
  }
  return out;
}

/** A run's name from its input: `kustom-probes/` → kustom-probes, `app.yaml` → app, `web.lab.yaml` → web. */
export function inputRunName(input: string, cwd: string): string {
  return path.basename(path.resolve(cwd, input)).replace(/(\.lab)?\.(ya?ml|json)$/i, '') || 'lab';
}

/** Two inputs with the same base name (`a/k8s`, `b/k8s`) still get names that tell them apart. */
function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}-${i}`;
  taken.add(candidate);
  return candidate;
}

/** What the overrides ask of this machine, checked before any run is configured. */
function checkEnvironment(o: LabOverrides): void {
  if (o.pidNamespace) {
    const support = pidNamespaceSupport();
    if (!support.available) throw new ZerodropError('lab-no-pid-namespace', `--pid-namespace is unavailable here: ${support.reason}`);
  }
  if (o.proxy === 'nginx' && !nginxAvailable()) throw new ZerodropError('nginx-missing', '--proxy nginx needs /usr/sbin/nginx (apt-get install nginx)');
}
