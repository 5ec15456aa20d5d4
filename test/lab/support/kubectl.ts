import { spawnSync } from 'node:child_process';

/** kubectl renders kustomize directories for the lab as for the audit; tests that need it skip loudly without it. */
export const HAVE_KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

export function warnWithoutKubectl(what: string): void {
  if (!HAVE_KUBECTL) console.warn(`\n*** SKIPPING ${what}: kubectl is not on PATH (it renders kustomize directories) ***\n`);
}
