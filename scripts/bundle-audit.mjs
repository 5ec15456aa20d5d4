/**
 * Part of `npm run build`, after tsc: replaces dist/cli/audit.js (the `zerodrop audit`, `rules`
 * and `explain` commands) with one bundled module of our own audit code, plus chunks for what it
 * loads on demand (the CI formatters, --fix, kustomize tracing).
 *
 * Why: a one-file audit, as a pre-commit hook runs it on every commit, used to load about 120 of
 * our modules one by one, and on Node 20 (no module compile cache) resolving, reading and
 * compiling them cost more than the audit itself (docs/benchmarks.md, "startup").
 *
 * What stays outside the bundle, imported as before: npm packages (commander, picocolors,
 * dockerfile-ast stay in node_modules; yaml alone is bundled, see BUNDLED_PACKAGES), Node's built-ins, and every module of ours outside
 * BUNDLED (errors.js above all, whose ZerodropError main.js must recognise). `audit --cluster`
 * gets its cluster client as a chunk, so it runs the same audit code. The bundle lives in dist/cli, where
 * dist/cli/audit.js was, so relative paths (to docs/, to ../errors.js) resolve as before.
 *
 * Running tsc alone leaves a correct, unbundled dist/cli/audit.js; running this twice is a no-op.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'dist', 'cli');
const entry = join(cliDir, 'audit.js');
const MARK = '// Bundled by scripts/bundle-audit.mjs from the modules tsc wrote to dist/.';
/** Our modules that go into the bundle, relative to dist/. */
const BUNDLED = ['audit/', 'k8s/', 'output/', 'run/', 'cluster/', 'durations.js', 'cli/audit.js'];

/** npm packages that go into the bundle too: `yaml` is some 80 CommonJS files, each resolved and read at every start. */
const BUNDLED_PACKAGES = ['yaml'];
const packageDir = (name) => join(root, 'node_modules', name);

const inBundle = (id) => {
  if (BUNDLED_PACKAGES.some((name) => id.startsWith(`${packageDir(name)}/`))) return true;
  const r = relative(join(root, 'dist'), id);
  return !r.startsWith('..') && BUNDLED.some((b) => r === b || r.startsWith(b));
};

if (readFileSync(entry, 'utf8').startsWith(MARK)) process.exit(0);

const bundle = await rolldown({
  input: { audit: entry },
  platform: 'node',
  external: (id, _importer, isResolved) => {
    if (id.startsWith('node:')) return true;
    if (!id.startsWith('.') && !id.startsWith('/')) return !BUNDLED_PACKAGES.includes(id);
    return isResolved && !inBundle(id);
  },
  logLevel: 'warn',
});
const { output } = await bundle.generate({
  dir: cliDir,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'audit-chunk-[name]-[hash].js',
  banner: MARK,
  // Doc comments are a fifth of the bundle's text, and every CLI start reads and scans all of it;
  // the commented sources stay in dist/ beside it. License comments stay.
  comments: { legal: true, annotation: true, jsdoc: false },
  // Each bundled package in a chunk of its own name (audit-chunk-yaml-…), beside its license.
  codeSplitting: { groups: BUNDLED_PACKAGES.map((name) => ({ name, test: new RegExp(`[\\\\/]node_modules[\\\\/]${name}[\\\\/]`) })) },
});
await bundle.close();

for (const f of readdirSync(cliDir)) if (f.startsWith('audit-chunk-') || f === 'audit.js.map') rmSync(join(cliDir, f));
for (const file of output) if (file.type === 'chunk') writeFileSync(join(cliDir, file.fileName), file.code);
// The bundled packages' licenses travel with their code.
for (const name of BUNDLED_PACKAGES) copyFileSync(join(packageDir(name), 'LICENSE'), join(cliDir, `audit-chunk-${name}.LICENSE`));
