/**
 * IntOrString fields (`maxSurge: 25%`, `minAvailable: 2`) resolved to absolute numbers.
 * Kubernetes: `intstr.GetScaledValueFromIntOrPercent(value, total, roundUp)`
 * (docs/reference/workload-updates.md#deployment-rollingupdate, docs/reference/disruption-budgets.md#budget-arithmetic): Deployment maxSurge rounds up, maxUnavailable rounds down,
 * PDB fields and StatefulSet/DaemonSet maxUnavailable round up.
 */
export type IntOrPercent = number | string;

export class IntOrPercentError extends Error {
  constructor(readonly value: unknown) {
    super(`invalid int-or-percent value ${JSON.stringify(value)} (expected an integer like 1 or a percentage like "25%")`);
  }
}

/** True when the value is a percentage string such as "25%". */
export function isPercent(value: IntOrPercent): value is string {
  return typeof value === 'string' && /^\d+%$/.test(value.trim());
}

/** Throws IntOrPercentError for anything Kubernetes would reject. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new IntOrPercentError(value);
    return value;
  }
  const s = value.trim();
  // A quoted integer ("1") is a string that is not a percentage: the API server rejects it
  // (intstr: "invalid type: string is not a percentage"), so do we.
  if (!isPercent(s)) throw new IntOrPercentError(value);
  const pct = Number(s.slice(0, -1));
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Whether the literal value is zero ("0", 0 or "0%"): validation looks at literals, not resolved values (docs/reference/workload-updates.md#deployment-rollingupdate). */
export function isLiteralZero(value: IntOrPercent | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'number') return value === 0;
  return /^0+%?$/.test(value.trim());
}
