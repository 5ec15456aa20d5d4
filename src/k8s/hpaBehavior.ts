/**
 * An HPA's scale-down behaviour with the API defaults applied (autoscaling/v2 `HPAScalingRules`;
 * docs/reference/autoscaling.md#scale-down): without `behavior.scaleDown` the HPA may drop to
 * minReplicas, removing up to 100 % of the pods every 15 s, once the recommendation has stayed low
 * for a 300 s stabilization window (the controller's `--horizontal-pod-autoscaler-downscale-stabilization`,
 * 5m). A written `scaleDown` keeps its own fields and takes the defaults for the rest; written
 * `policies` replace the default policy, they are not merged with it.
 */
export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScaleDownBehavior {
  stabilizationWindowSeconds: number;
  windowWritten: boolean;
  policies: ScalingPolicy[];
  policiesWritten: boolean;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
}

export const DEFAULT_SCALE_DOWN: Readonly<ScaleDownBehavior> = {
  stabilizationWindowSeconds: 300,
  windowWritten: false,
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  policiesWritten: false,
  selectPolicy: 'Max',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The scale-down rules of an HPA's (or a KEDA ScaledObject's HPA config's) `behavior` value. */
export function scaleDownBehaviorOf(behavior: unknown): ScaleDownBehavior {
  const down = isRecord(behavior) && isRecord(behavior.scaleDown) ? behavior.scaleDown : undefined;
  if (!down) return { ...DEFAULT_SCALE_DOWN, policies: [...DEFAULT_SCALE_DOWN.policies] };
  const window = down.stabilizationWindowSeconds;
  const written = Array.isArray(down.policies)
    ? down.policies.flatMap((p): ScalingPolicy[] =>
        isRecord(p) && (p.type === 'Pods' || p.type === 'Percent') && typeof p.value === 'number' && typeof p.periodSeconds === 'number'
          ? [{ type: p.type, value: p.value, periodSeconds: p.periodSeconds }]
          : [],
      )
    : [];
  const select = down.selectPolicy;
  return {
    stabilizationWindowSeconds: typeof window === 'number' ? window : DEFAULT_SCALE_DOWN.stabilizationWindowSeconds,
    windowWritten: typeof window === 'number',
    policies: written.length > 0 ? written : [...DEFAULT_SCALE_DOWN.policies],
    policiesWritten: written.length > 0,
    selectPolicy: select === 'Min' || select === 'Disabled' ? select : 'Max',
  };
}

/** Whether one period of some policy may remove every pod above minReplicas (a Percent ≥ 100, or Pods ≥ the span). */
export function removesAllAtOnce(b: ScaleDownBehavior, span: number): boolean {
  const all = (p: ScalingPolicy) => (p.type === 'Percent' ? p.value >= 100 : p.value >= span);
  return b.selectPolicy === 'Max' ? b.policies.some(all) : b.policies.every(all);
}
