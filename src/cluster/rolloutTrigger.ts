import { ZerodropError } from '../errors.js';
import type { Container, KubeObject } from '../k8s/objects.js';

/** The annotation `kubectl rollout restart` sets on the pod template (kubectl polymorphichelpers/objectrestarter.go). */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export type RolloutAction = { kind: 'restart' } | { kind: 'image'; container: string; image: string } | { kind: 'watch-only' };

/** A strategic-merge patch and the sentence that says what it does. */
export interface RolloutTrigger {
  patch: Record<string, unknown>;
  describe: string;
  /** Whether a Deployment read back from the server already carries this change (after a PATCH whose answer never came). */
  applied(deployment: KubeObject): boolean;
}

/** Who the API server records as the manager of the fields we change (managedFields), as kubectl names itself kubectl-rollout or kubectl-set. */
export const FIELD_MANAGER = 'zerodrop';

type PodSpecLike = { containers?: Container[]; initContainers?: Container[] };
const podSpecOf = (d: KubeObject) => (d.spec?.template as { spec?: PodSpecLike } | undefined)?.spec;

/** Go's time.RFC3339 layout ("2006-01-02T15:04:05Z07:00") in local time, which kubectl writes. */
export function formatRfc3339(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offsetMin = -date.getTimezoneOffset();
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/**
 * The one change zerodrop makes, with the body kubectl sends (recorded from kubectl v1.32 in
 * test/cluster/kubectlOracle.test.ts). Restart: the restartedAt annotation on the pod template
 * (kubectl polymorphichelpers/objectrestarter.go), and like kubectl it refuses a paused
 * Deployment, which would not roll. Image: kubectl set image's two-way strategic-merge patch,
 * which names the changed container and lists every container of that list in
 * `$setElementOrder/containers` (apimachinery strategicpatch), keys in Go's sorted order.
 * Returns undefined for --watch-only.
 */
export function rolloutTrigger(deployment: KubeObject, action: RolloutAction, now: Date): RolloutTrigger | undefined {
  const name = deployment.metadata?.name ?? '?';
  if (action.kind === 'watch-only') return undefined;
  if (deployment.spec?.paused === true) {
    throw new ZerodropError('deployment-paused', `deployment/${name} is paused, so it would not roll out; run kubectl rollout resume deployment/${name} first`);
  }
  if (action.kind === 'restart') {
    const at = formatRfc3339(now);
    return {
      patch: { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at } } } } },
      describe: `restart deployment/${name} (pod template annotation ${RESTARTED_AT_ANNOTATION}=${at}, as kubectl rollout restart)`,
      applied: (d) =>
        (d.spec?.template as { metadata?: { annotations?: Record<string, string> } } | undefined)?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] === at,
    };
  }
  const podSpec = podSpecOf(deployment);
  const inMain = (podSpec?.containers ?? []).find((c) => c.name === action.container);
  const inInit = (podSpec?.initContainers ?? []).find((c) => c.name === action.container);
  const target = inMain ?? inInit;
  if (!target) {
    const names = [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])].map((c) => c.name).filter(Boolean);
    throw new ZerodropError(
      'image-unknown-container',
      `--image ${action.container}=${action.image}: deployment/${name} has no container "${action.container}" (has: ${names.join(', ') || 'none'})`,
    );
  }
  if (target.image === action.image) {
    throw new ZerodropError(
      'image-unchanged',
      `container "${action.container}" of deployment/${name} already runs ${action.image}, so nothing would roll out; use --restart`,
    );
  }
  const list = inMain ? 'containers' : 'initContainers';
  const order = (podSpec?.[list] ?? []).map((c) => ({ name: c.name }));
  return {
    patch: { spec: { template: { spec: { [`$setElementOrder/${list}`]: order, [list]: [{ image: action.image, name: action.container }] } } } },
    describe: `set image of container "${action.container}" in deployment/${name}: ${target.image ?? '(none)'} -> ${action.image}`,
    applied: (d) => (podSpecOf(d)?.[list] ?? []).some((c) => c.name === action.container && c.image === action.image),
  };
}

/** Parses `--image CONTAINER=IMAGE`. */
export function parseImageFlag(value: string): { container: string; image: string } {
  const i = value.indexOf('=');
  if (i <= 0 || i === value.length - 1) {
    throw new ZerodropError('bad-image-flag', `--image expects CONTAINER=IMAGE, got "${value}"`);
  }
  return { container: value.slice(0, i), image: value.slice(i + 1) };
}
