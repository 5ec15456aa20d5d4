import type { Probe, ProbeKind, ResolvedProbe } from '../../../k8s/probes.js';
import type { AuditSettings, ContainerView, RuleResult, WorkloadView } from '../../types.js';
import { PROBE_FIELDS, probeOf, resolvedProbe, type ProbeField } from './probes.js';

/** A result about one container: `perContainer` fills in the container's name. */
export type ContainerResult<M extends string, F extends string> = Omit<RuleResult<M, F>, 'container'>;

type Reported<M extends string, F extends string> = ContainerResult<M, F> | readonly ContainerResult<M, F>[] | undefined;

function listOf<T>(found: T | readonly T[] | undefined): readonly T[] {
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found as T];
}

/**
 * The loop every container rule would otherwise write (as kube-linter's PerContainerCheck does):
 * `select` names the containers the check is about, and may return none to say the rule does not
 * apply to this workload; `check` looks at one of them and returns what it finds, or nothing.
 */
export function perContainer<M extends string, F extends string>(
  select: (w: WorkloadView, settings: AuditSettings) => readonly ContainerView[],
  check: (c: ContainerView, w: WorkloadView, settings: AuditSettings) => Reported<M, F>,
): (w: WorkloadView, settings: AuditSettings) => RuleResult<M, F>[] {
  // A loop rather than flatMap: this runs for every container of every workload, once per rule.
  return (w, settings) => {
    const out: RuleResult<M, F>[] = [];
    for (const c of select(w, settings)) for (const r of listOf(check(c, w, settings))) out.push({ ...r, container: c.name });
    return out;
  };
}

/** One probe a container declares: which kind, its field name, as written and with the kubelet's defaults. */
export interface DeclaredProbe {
  kind: ProbeKind;
  field: ProbeField;
  written: Probe;
  resolved: ResolvedProbe;
}

/** `perContainer` over each probe the selected containers declare (readiness, liveness, startup, in that order). */
export function perProbe<M extends string, F extends string>(
  select: (w: WorkloadView, settings: AuditSettings) => readonly ContainerView[],
  check: (probe: DeclaredProbe, c: ContainerView, w: WorkloadView, settings: AuditSettings) => Reported<M, F>,
): (w: WorkloadView, settings: AuditSettings) => RuleResult<M, F>[] {
  return perContainer(select, (c, w, settings) =>
    PROBE_FIELDS.flatMap(({ kind, field }) => {
      const written = probeOf(c, field);
      const resolved = resolvedProbe(c, field);
      return written && resolved ? listOf(check({ kind, field, written, resolved }, c, w, settings)) : [];
    }),
  );
}
