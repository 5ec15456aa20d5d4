/**
 * The boundary check every reader of manifests runs once: given a parsed object, the list of
 * ways its shape differs from what the API server would accept for the fields zerodrop reads.
 * After it passes, audit rules and the lab read fields without re-checking their types.
 */
import { objectMeta } from './podSpec.js';
import { checkShape, type ShapeViolation } from './schema.js';
import { KIND_SHAPES } from './workloads.js';

export { pathText, type Shape, type ShapePath, type ShapeViolation } from './schema.js';

/**
 * API groups whose kinds are the built-in ones of `KIND_SHAPES`. A custom resource may reuse a
 * kind name (Knative's `serving.knative.dev/v1` Service) with another shape; only its metadata
 * is checked.
 */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'extensions', 'batch', 'policy', 'autoscaling', 'networking.k8s.io']);

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Violations of an object with string `apiVersion` and `kind` (the reader's test for "a Kubernetes object"). */
export function shapeViolations(obj: Record<string, unknown>): ShapeViolation[] {
  const kind = String(obj.kind);
  const builtIn = BUILT_IN_GROUPS.has(groupOf(String(obj.apiVersion)));
  const shape = builtIn ? KIND_SHAPES[kind] : undefined;
  if (shape) return checkShape(obj, shape);
  if (obj.metadata === undefined || obj.metadata === null) return [];
  return checkShape(obj.metadata, objectMeta, ['metadata']);
}
