/**
 * The audit's settings and where each comes from: a flag overrides the config file
 * (`.zerodrop.yaml`), which overrides the defaults. The defaults are the target Kubernetes
 * version and the two timing assumptions every drain rule needs.
 */
import { usageError } from '../errors.js';
import { DEFAULT_KUBERNETES_VERSION, KubernetesVersionError, parseKubernetesVersion } from '../k8s/features.js';
import type { AuditConfig, FailOn, OutputFormat } from './config.js';
import type { AuditSettings, Severity, SeveritySetting } from './types.js';

export const DEFAULT_PROPAGATION_SECONDS = 5;
export const DEFAULT_DRAIN_SECONDS = 5;

export function defaultSettings(overrides: Partial<AuditSettings> = {}): AuditSettings {
  return {
    kubernetesVersion: parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION),
    propagationSeconds: DEFAULT_PROPAGATION_SECONDS,
    drainSeconds: DEFAULT_DRAIN_SECONDS,
    ...overrides,
  };
}

/** The settings as given on the command line: raw text, not yet validated. */
export interface AuditSettingFlags {
  kubernetesVersion?: string | undefined;
  propagationSeconds?: string | undefined;
  drainSeconds?: string | undefined;
  format?: OutputFormat | undefined;
  failOn?: FailOn | undefined;
  minSeverity?: Severity | undefined;
}

export interface ResolvedAuditOptions {
  settings: AuditSettings;
  format: OutputFormat;
  failOn: FailOn;
  /** Findings below it are left out of every format and of the exit code. */
  minSeverity: Severity;
  severities: Record<string, SeveritySetting>;
}

/** Flags over the config file over the defaults; a bad flag value is a usage error naming the flag. */
export function resolveAuditOptions(flags: AuditSettingFlags, config: AuditConfig | undefined): ResolvedAuditOptions {
  const versionText = flags.kubernetesVersion ?? config?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  let kubernetesVersion;
  try {
    kubernetesVersion = parseKubernetesVersion(versionText);
  } catch (err) {
    if (err instanceof KubernetesVersionError) throw usageError('bad-kubernetes-version', `--kubernetes-version: ${err.message}`);
    throw err;
  }
  return {
    settings: defaultSettings({
      kubernetesVersion,
      propagationSeconds: seconds('--propagation-seconds', flags.propagationSeconds, config?.propagationSeconds, DEFAULT_PROPAGATION_SECONDS),
      drainSeconds: seconds('--drain-seconds', flags.drainSeconds, config?.drainSeconds, DEFAULT_DRAIN_SECONDS),
      ...(config?.paths ? { paths: config.paths } : {}),
    }),
    format: flags.format ?? config?.format ?? 'text',
    failOn: flags.failOn ?? config?.failOn ?? 'error',
    minSeverity: flags.minSeverity ?? config?.minSeverity ?? 'info',
    severities: config?.rules ?? {},
  };
}

function seconds(flag: string, raw: string | undefined, fromConfig: number | undefined, dflt: number): number {
  if (raw === undefined) return fromConfig ?? dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw usageError('bad-number', `${flag} must be a number of seconds ≥ 0, got "${raw}"`);
  return n;
}
