/**
 * Auditing the files a commit changed (pre-commit passes them as arguments) without judging them
 * out of context. A patch in a kustomize overlay is not a manifest on its own, and a Deployment
 * whose PodDisruptionBudget sits in the next file is not missing one: so each changed file is
 * audited with its context (the nearest kustomization that holds it, rendered; else the
 * manifests beside it), and only findings located in the changed files are reported.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { kustomizationIn, sourceKindOf } from './sources.js';

export interface ChangedFilesPlan {
  /** What to audit: kustomize directories, and manifest files with their neighbours. */
  paths: string[];
  /** Absolute paths of the changed files: findings elsewhere are context, not reported. */
  changed: Set<string>;
  /** Changed files of kustomize components, which render only inside an overlay that uses them. */
  componentFiles: Array<{ file: string; component: string }>;
  /** Changed files that cannot be audited as they are, with why. */
  notes: string[];
}

function isComponent(kustomization: string): boolean {
  try {
    const doc = parse(readFileSync(kustomization, 'utf8')) as { kind?: unknown } | null;
    return doc?.kind === 'Component';
  } catch {
    return false;
  }
}

/** The nearest directory at or above `dir`, and not above `root`, that holds a kustomization file. */
function kustomizationDirOf(dir: string, root: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (kustomizationIn(d)) return d;
    if (d === root || dirname(d) === d || !d.startsWith(root)) return undefined;
  }
}

/** The chart directory when `file` is one of its templates (`CHART/templates/**`, CHART holding Chart.yaml). */
function helmChartOf(file: string, root: string): string | undefined {
  for (let d = dirname(file); d.startsWith(root) && dirname(d) !== d; d = dirname(d)) {
    if (basename(d) === 'templates' && existsSync(join(dirname(d), 'Chart.yaml'))) return dirname(d);
  }
  return undefined;
}

export function planChangedFiles(files: readonly string[], cwd: string): ChangedFilesPlan {
  const plan: ChangedFilesPlan = { paths: [], changed: new Set(), componentFiles: [], notes: [] };
  const added = new Set<string>();
  // Paths inside the working directory stay relative, so findings name them as the user does.
  const add = (abs: string) => {
    const r = relative(cwd, abs);
    const p = r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? abs : r;
    if (!added.has(abs)) plan.paths.push(p);
    added.add(abs);
  };
  for (const file of files) {
    const abs = isAbsolute(file) ? file : resolve(cwd, file);
    plan.changed.add(abs);
    if (file === '-') {
      plan.paths.push(file);
      continue;
    }
    if (sourceKindOf(abs) !== 'yaml') {
      add(abs);
      continue;
    }
    const root = abs.startsWith(cwd) ? cwd : dirname(abs);
    const chart = helmChartOf(abs, root);
    if (chart) {
      plan.notes.push(
        `${file}: a Helm template (Go template text, not YAML); render the chart and pipe it in: helm template ${relative(cwd, chart) || '.'} | zerodrop audit - --chart-root ${relative(cwd, chart) || '.'}`,
      );
      continue;
    }
    const kdir = kustomizationDirOf(dirname(abs), root);
    const kustomization = kdir && kustomizationIn(kdir);
    if (kustomization && isComponent(kustomization)) {
      plan.componentFiles.push({ file, component: kustomization });
      continue;
    }
    if (kdir) {
      add(kdir);
      continue;
    }
    add(abs);
    let neighbours: string[] = [];
    try {
      neighbours = readdirSync(dirname(abs)).sort();
    } catch {
      // The file itself is still audited and reports its own read error.
    }
    for (const n of neighbours) {
      const p = join(dirname(abs), n);
      if (sourceKindOf(n) === 'yaml' && n !== '.zerodrop.yaml' && n !== '.zerodrop.yml') add(p);
    }
  }
  return plan;
}
