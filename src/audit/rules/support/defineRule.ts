import type { DockerfileRule, ObjectRule, RuleMeta, WorkloadRule } from '../../types.js';

/**
 * Identity functions that type a rule by the ids its `meta.messages` and `meta.fixes` declare, so
 * reporting an undeclared `messageId` or `fixId` is a compile error, not a runtime surprise.
 */
export function defineRule<M extends string, F extends string>(rule: WorkloadRule<M, F>): WorkloadRule<M, F>;
export function defineRule<M extends string, F extends string>(rule: ObjectRule<M, F>): ObjectRule<M, F>;
export function defineRule<M extends string, F extends string>(rule: DockerfileRule<M, F>): DockerfileRule<M, F>;
export function defineRule(rule: unknown): unknown {
  return rule;
}

/** The meta of a rule id that checks several targets (a Dockerfile and the workload running the image). */
export function defineMeta<M extends string, F extends string>(meta: RuleMeta<M, F>): RuleMeta<M, F> {
  return meta;
}
