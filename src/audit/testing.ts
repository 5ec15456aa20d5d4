/**
 * Audit texts and files the way the CLI does: the real loader, view builder and runner (no mocks),
 * optionally limited to some rules. Rule tests build on it (src/audit/rules/fixtures/ruleTester.ts);
 * it ships because it is small and lets library users test their own configurations too.
 */
import { readFileSync } from 'node:fs';
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

/** Whether a text without a telling file name is a Dockerfile: its first instruction is FROM or ARG. */
export function isDockerfileText(text: string): boolean {
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

/** `auditTextsRun`, but input errors throw, so a broken fixture or test case cannot pass silently. */
export function auditTextsStrict(texts: ReadonlyArray<{ file: string; text: string }>, options: AuditTextOptions = {}): AuditRun {
  const run = auditTextsRun(texts, options);
  if (run.errors.length > 0) throw new Error(`input errors: ${run.errors.map((e) => `${e.file}:${e.line ?? ''}:${e.column ?? ''} ${e.message}`).join('; ')}`);
  return run;
}

/** Findings for one YAML or Dockerfile text; input errors throw. */
export function auditText(text: string, options: AuditTextOptions = {}): Finding[] {
  const file = options.file ?? (isDockerfileText(text) ? 'Dockerfile' : 'test.yaml');
  return auditTextsStrict([{ file, text }], options).findings;
}

/** Findings for fixture files (one path or several audited together); input errors throw. */
export function auditFixture(paths: string | readonly string[], options: Omit<AuditTextOptions, 'file'> = {}): Finding[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  return auditTextsStrict(
    list.map((p) => ({ file: p, text: readFileSync(p, 'utf8') })),
    options,
  ).findings;
}
