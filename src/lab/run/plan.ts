/**
 * What `zerodrop lab` will run, decided and validated before any process starts: the talk (no
 * inputs), a bundled scenario, lab files or plain manifests, each turned into a configured run or
 * the reason it cannot run on this machine. Every input mistake surfaces here, as one error.
 */
import path from 'node:path';
import { usageError, ZerodropError } from '../../errors.js';
import { looksLikeLabFile, readLabFile } from '../config/labFile.js';
import { pidNamespaceSupport } from '../pods/containerProcess.js';
import { nginxAvailable } from '../proxy/index.js';
import { SCENARIOS, TALK, findScenario, labFilePath, missingRequirement, runName, type Scenario } from '../scenarios/catalog.js';
import { configureFromLabFile, configureRun, type LabOverrides } from './configure.js';
import type { LabRunConfig } from './runLab.js';

/** One planned run: configured (validated) up front, or the reason it cannot run here. */
export interface PlannedRun {
  name: string;
  config?: LabRunConfig;
  unavailable?: string;
  expect?: 'pass' | 'fail';
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

export function planLabRuns(request: LabPlanRequest): LabPlan {
  checkEnvironment(request.overrides);
  const runs = planned(request);
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

function planned(r: LabPlanRequest): PlannedRun[] {
  const o = r.overrides;
  if (r.scenario && r.inputs.length > 0) throw usageError('conflicting-flags', '--scenario runs bundled files; do not also pass inputs');
  if (r.scenario || r.inputs.length === 0) {
    const scenario: Scenario | undefined = r.scenario ? findScenario(r.scenario) : TALK;
    if (!scenario) throw usageError('lab-unknown-scenario', `unknown scenario "${r.scenario}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    const only = r.runs;
    const runs = scenario.runs.filter((run) => !only || only.includes(runName(run)));
    if (only && runs.length === 0) throw usageError('lab-unknown-run', `--runs: scenario ${scenario.name} has runs ${scenario.runs.map(runName).join(', ')}`);
    const nginx = nginxAvailable();
    return runs.map((run) => {
      const name = runName(run);
      const missing = missingRequirement(run, nginx);
      if (missing) return { name, unavailable: missing, expect: run.expect };
      const file = labFilePath(run);
      return {
        name,
        config: configureFromLabFile(readLabFile(file), o, `zerodrop lab ${path.relative(r.cwd, file)}`, name),
        expect: run.expect,
        labFile: file,
      };
    });
  }
  const labFiles = r.inputs.filter((i) => looksLikeLabFile(i));
  const manifests = r.inputs.filter((i) => !labFiles.includes(i));
  if (labFiles.length > 0 && manifests.length > 0) throw usageError('conflicting-flags', 'pass either lab files or manifests, not both');
  if (labFiles.length > 0)
    return labFiles.map((f) => {
      const config = configureFromLabFile(readLabFile(f), o, r.command);
      return { name: config.name, config, labFile: f };
    });
  const config = configureRun({ name: 'lab', manifests, images: {}, cwd: r.cwd, command: r.command }, o);
  return [{ name: config.name, config }];
}

/** What the overrides ask of this machine, checked before any run is configured. */
function checkEnvironment(o: LabOverrides): void {
  if (o.pidNamespace) {
    const support = pidNamespaceSupport();
    if (!support.available) throw new ZerodropError('lab-no-pid-namespace', `--pid-namespace is unavailable here: ${support.reason}`);
  }
  if (o.proxy === 'nginx' && !nginxAvailable()) throw new ZerodropError('nginx-missing', '--proxy nginx needs /usr/sbin/nginx (apt-get install nginx)');
}
