/**
 * `npm run bench`: runs every benchmark module in this folder in turn. Each module prints its
 * own table with ratios against a baseline measured in the same process, so a noisy shared
 * machine moves numerator and denominator together. Pass names to run a subset:
 * `npm run bench -- audit proxy`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

for (const file of modules) {
  process.stdout.write(`\n## ${file.replace('.bench.js', '')}\n\n`);
  const mod = (await import(join(here, file))) as { run: () => Promise<void> };
  await mod.run();
}
