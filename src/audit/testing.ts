/**
 * Test helpers for rule tests: run the real loader, view builder and runner on a text or a
 * fixture file (no mocks), optionally limited to some rules. Excluded from nothing: it is small
 * and lets library users test their own configurations too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditSettings, Finding, Rule, SeveritySetting } from './types.js';
import type { Source } from './sources.js';
import { sourceKindOf } from './sources.js';
import { runAudit, type AuditRun } from './runner.js';
import { defaultSettings } from './settings.js';
import { allRules, ruleById } from './rules/index.js';
import { parseKubernetesVersion } from '../k8s/features.js';

export interface AuditTextOptions {
  /** Rules to run, as Rule objects or ids; default: every registered rule. */
  rules?: ReadonlyArray<Rule | string>;
  /** Settings overrides; `kubernetesVersion` may be given as "1.29". */
  settings?: Partial<Omit<AuditSettings, 'kubernetesVersion'>> & { kubernetesVersion?: AuditSettings['kubernetesVersion'] | string };
  severities?: Record<string, SeveritySetting>;
  /** File name findings carry (default `test.yaml`, or `Dockerfile` for Dockerfile text). */
  file?: string;
}

function resolveRules(rules: AuditTextOptions['rules']): Rule[] {
  if (!rules) return [...allRules];
  return rules.flatMap((r) => {
    if (typeof r !== 'string') return [r];
    const found = ruleById(r);
    if (found.length === 0) throw new Error(`no rule with id ${r}`);
    return found;
  });
}

function resolveSettings(s: AuditTextOptions['settings']): AuditSettings {
  const { kubernetesVersion, ...rest } = s ?? {};
  const base = defaultSettings(rest);
  if (kubernetesVersion !== undefined)
    base.kubernetesVersion = typeof kubernetesVersion === 'string' ? parseKubernetesVersion(kubernetesVersion) : kubernetesVersion;
  return base;
}

function isDockerfileText(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return first !== undefined && /^\s*(FROM|ARG)\s/i.test(first);
}

/** Audits several texts as one run (e.g. a Dockerfile plus the manifest that uses its image). */
export function auditTextsRun(texts: ReadonlyArray<{ file: string; text: string }>, options: AuditTextOptions = {}): AuditRun {
  const sources: Source[] = texts.map(({ file, text }) => ({
    file,
    text,
    origin: 'file',
    kind: sourceKindOf(file) ?? (isDockerfileText(text) ? 'dockerfile' : 'yaml'),
  }));
  const run: Parameters<typeof runAudit>[1] = { settings: resolveSettings(options.settings), rules: resolveRules(options.rules), debug: true };
  if (options.severities) run.severities = options.severities;
  return runAudit(sources, run);
}

/** Findings for one YAML or Dockerfile text. Input errors throw, so a broken fixture cannot pass silently. */
export function auditText(text: string, options: AuditTextOptions = {}): Finding[] {
  const file = options.file ?? (isDockerfileText(text) ? 'Dockerfile' : 'test.yaml');
  const run = auditTextsRun([{ file, text }], options);
  if (run.errors.length > 0) throw new Error(`input errors: ${run.errors.map((e) => `${e.file}:${e.line ?? ''}:${e.column ?? ''} ${e.message}`).join('; ')}`);
  return run.findings;
}

/** Findings for fixture files (one path or several audited together). */
export function auditFixture(paths: string | readonly string[], options: Omit<AuditTextOptions, 'file'> = {}): Finding[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  const run = auditTextsRun(
    list.map((p) => ({ file: p, text: readFileSync(p, 'utf8') })),
    options,
  );
  if (run.errors.length > 0) throw new Error(`input errors: ${run.errors.map((e) => `${e.file}:${e.line ?? ''}:${e.column ?? ''} ${e.message}`).join('; ')}`);
  return run.findings;
}

/** Rule ids of findings, sorted, for compact table-driven assertions. */
export function ruleIds(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.rule).sort();
}

export interface FixtureCase {
  /** File name, e.g. `bad-sighup.Dockerfile`. */
  name: string;
  path: string;
  /** `bad*` files must produce findings of the rule, `good*` files none. */
  bad: boolean;
  /** From a `# expect: N` line in the fixture, when given. */
  expectedCount: number | undefined;
}

/** Fixture files of a rule: `src/audit/rules/fixtures/<id>/{bad,good}*`, sorted by name. */
export function ruleFixtureCases(ruleId: string): FixtureCase[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'rules', 'fixtures', ruleId);
  return readdirSync(dir)
    .filter((n) => /^(bad|good)/.test(n))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const m = /^#\s*expect:\s*(\d+)/m.exec(readFileSync(path, 'utf8'));
      return { name, path, bad: name.startsWith('bad'), expectedCount: m ? Number(m[1]) : undefined };
    });
}
