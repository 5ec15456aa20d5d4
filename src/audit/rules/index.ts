/**
 * The rule registry: every rule file of this folder, imported once. A rule file default-exports
 * one Rule, or an array when one rule id checks several targets (a Dockerfile and the workload
 * that runs the image). Adding a rule = one import and one entry below.
 */
import type { Rule, RuleMeta } from '../types.js';
import deprecatedWorkloadApi from './deprecated-workload-api.js';
import dockerHealthcheckIgnored from './docker-healthcheck-ignored.js';
import dockerfileShellForm from './dockerfile-shell-form.js';
import dockerfileShellWrapper from './dockerfile-shell-wrapper.js';
import podShellCommand from './pod-shell-command.js';
import stopSignalMismatch from './stop-signal-mismatch.js';
import unknownField from './unknown-field.js';
import uwsgiSigtermReload from './uwsgi-sigterm-reload.js';

const registered: Array<Rule | Rule[]> = [
  // Rule of Uptime 1: signals reach the app
  dockerfileShellForm,
  dockerfileShellWrapper,
  podShellCommand,
  // Rule of Uptime 2: stop signal
  stopSignalMismatch,
  uwsgiSigtermReload,
  // Rule of Uptime 5: apps/v1
  deprecatedWorkloadApi,
  // Wiring and version
  dockerHealthcheckIgnored,
  unknownField,
];

export const allRules: readonly Rule[] = registered.flat();

/** Every Rule object with this id (a rule id may check several targets). */
export function ruleById(id: string): Rule[] {
  return allRules.filter((r) => r.meta.id === id);
}

/** One meta per rule id, ordered by Rule of Uptime (wiring last), then id. */
export function ruleMetas(): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const r of allRules) if (!byId.has(r.meta.id)) byId.set(r.meta.id, r.meta);
  return [...byId.values()].sort((a, b) => (a.ruleOfUptime ?? 99) - (b.ruleOfUptime ?? 99) || a.id.localeCompare(b.id));
}
