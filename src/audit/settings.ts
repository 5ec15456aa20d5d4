/**
 * Default audit settings (issue 2): the target Kubernetes version and the two timing assumptions
 * every drain rule needs. CLI flags override the config file, which overrides these.
 */
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../k8s/features.js';
import type { AuditSettings } from './types.js';

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
