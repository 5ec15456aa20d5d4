/**
 * The seed inputs every fuzz run mutates: each audit rule fixture, the CLI fixtures, the
 * examples' manifests and lab files, read from the repository as it is checked out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Seed {
  /** Path relative to the repository root. */
  name: string;
  text: string;
  kind: 'yaml' | 'dockerfile' | 'lab';
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

export function seedCorpus(repoRoot: string): Seed[] {
  const roots = ['src/audit/rules/fixtures', 'test/fixtures/audit', 'test/fixtures/demo', 'examples'].map((r) => join(repoRoot, r));
  const seeds: Seed[] = [];
  for (const file of roots.flatMap(walk).sort()) {
    const name = relative(repoRoot, file);
    const kind = /\.lab\.ya?ml$/.test(file) ? 'lab' : /\.(ya?ml|json)$/.test(file) ? 'yaml' : /Dockerfile$|\.Dockerfile$/.test(file) ? 'dockerfile' : undefined;
    if (kind) seeds.push({ name, text: readFileSync(file, 'utf8'), kind });
  }
  return seeds;
}
