/**
 * Which Deployment of an input the lab rolls: the one the load reaches. Real inputs hold more
 * than the application (an ingress controller, a database, a worker), and the load the lab sends
 * stands for the traffic that arrives through the Ingress or the Service. Reachability is the
 * audit's own view of the objects (src/audit/views.ts: which Services select a pod template,
 * which Ingresses name those Services), so the lab and the audit agree on what serves.
 */
import { buildViews } from '../../audit/views.js';
import { defaultSettings } from '../../audit/settings.js';
import type { WorkloadView } from '../../audit/types.js';
import { usageError } from '../../errors.js';
import { ingressControllerFor } from '../../k8s/images.js';
import type { SourcedObject } from './manifests.js';

export interface WorkloadChoice {
  chosen: SourcedObject;
  /** The audit's view of it; absent when it has no pod template (the lab's checks report that). */
  view?: WorkloadView;
  /** What the lab decided and why, one line each: printed before the run, kept in its events. */
  notes: string[];
}

/** The ingress controller a Deployment runs, judged by its containers' images. */
function controllerOf(v: WorkloadView): string | undefined {
  for (const c of v.containers) {
    const image = c.container.image;
    const known = typeof image === 'string' ? ingressControllerFor(image) : undefined;
    if (known) return known.controller;
  }
  return undefined;
}

/** How the load reaches a Deployment, e.g. `Ingress nginx → Service nginx`, or undefined. */
function pathTo(v: WorkloadView): string | undefined {
  const services = v.services.map((s) => `Service ${s.name}`).join(', ');
  if (v.ingresses.length > 0) return `${v.ingresses.map((i) => `Ingress ${i.name}`).join(', ')} → ${services}`;
  return v.services.length > 0 ? services : undefined;
}

/**
 * Picks the Deployment to roll: `--workload NAME` (or NAMESPACE/NAME) when given; else, leaving
 * ingress controllers aside (the lab's proxy plays their part), the only one behind an Ingress,
 * else the only one behind a Service, else the only one. Several at the same rank is an error
 * that lists them.
 */
export function chooseWorkload(sourced: readonly SourcedObject[], requested?: string): WorkloadChoice {
  const deployments = sourced.filter((s) => s.object.kind === 'Deployment');
  if (deployments.length === 0) {
    const where = sourced[0] ? `${sourced[0].file}: ` : '';
    throw usageError('lab-no-deployment', `${where}no Deployment found; the lab replays a Deployment's rolling update`);
  }
  const { workloads } = buildViews(
    sourced.map((s) => s.object),
    [],
    defaultSettings(),
  );
  const viewOf = (s: SourcedObject): WorkloadView | undefined => workloads.find((w) => w.object === s.object);
  const candidates = deployments.flatMap((s) => {
    const view = viewOf(s);
    return view ? [{ sourced: s, view }] : [];
  });

  if (requested !== undefined) {
    const match = deployments.find((s) => {
      const name = s.object.metadata?.name;
      const namespace = s.object.metadata?.namespace ?? 'default';
      return requested === name || requested === `${namespace}/${name}`;
    });
    if (!match) {
      const names = deployments.map((s) => s.object.metadata?.name ?? '?').join(', ');
      throw usageError('lab-unknown-workload', `--workload ${requested}: the input has no Deployment of that name (it has: ${names})`, {
        file: deployments[0]!.file,
      });
    }
    const view = viewOf(match);
    const notes = [`rolls Deployment ${match.object.metadata?.name} (--workload)`, ...othersNotes(candidates, match)];
    return view ? { chosen: match, view, notes } : { chosen: match, notes };
  }

  // A Deployment without a pod template has no view: the checks after the choice report it.
  if (candidates.length === 0) return { chosen: deployments[0]!, notes: [] };
  const apps = candidates.filter((c) => !controllerOf(c.view));
  const pool = apps.length > 0 ? apps : candidates;
  const tiers: Array<{ members: typeof pool; why: (v: WorkloadView) => string }> = [
    { members: pool.filter((c) => c.view.ingresses.length > 0), why: (v) => `the load arrives through ${pathTo(v)}` },
    { members: pool.filter((c) => c.view.services.length > 0), why: (v) => `the load arrives through ${pathTo(v)}` },
    { members: pool, why: () => 'the only Deployment' },
  ];
  for (const tier of tiers) {
    if (tier.members.length === 0) continue;
    if (tier.members.length > 1) {
      const names = tier.members.map((c) => `${c.view.name} (${c.sourced.file}:${c.sourced.line})`).join(', ');
      throw usageError(
        'lab-many-deployments',
        `the lab rolls one Deployment and ${tier.members.length} could take the load: ${names}; choose one with --workload NAME`,
      );
    }
    const chosen = tier.members[0]!;
    const notes = candidates.length === 1 ? [] : [`rolls Deployment ${chosen.view.name}: ${tier.why(chosen.view)}`];
    return { chosen: chosen.sourced, view: chosen.view, notes: [...notes, ...othersNotes(candidates, chosen.sourced)] };
  }
  throw new Error('unreachable: the last tier is never empty');
}

/** One line per Deployment that is not rolled: an ingress controller, or another workload. */
function othersNotes(candidates: ReadonlyArray<{ sourced: SourcedObject; view: WorkloadView }>, chosen: SourcedObject): string[] {
  return candidates
    .filter((c) => c.sourced !== chosen)
    .map((c) => {
      const controller = controllerOf(c.view);
      return controller
        ? `Deployment ${c.view.name} runs ${controller}, an ingress controller: the lab's own proxy stands in for it, so it is not run`
        : `Deployment ${c.view.name} is not rolled (choose it with --workload ${c.view.name})`;
    });
}
