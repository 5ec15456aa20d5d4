/**
 * `npm run bench -- fuzz`: the seeded fuzz campaigns the suite runs small, run large on the built
 * package (dist/). Prints, per campaign, the cases run, the failures (each replayable from its
 * seed: ZERODROP_FUZZ_SEED=<base> npx vitest run test/fuzz) and the time per case.
 * ZERODROP_FUZZ_SCALE multiplies every campaign (default 1); ZERODROP_FUZZ_ONLY, a comma-separated
 * list of words, runs only the campaigns whose names contain one of them (e.g. `property`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  auditInProcess,
  auditThroughCli,
  describeFailures,
  type Failure,
  type FixInPlaceTally,
  fixInPlaceProperty,
  labConfiguration,
  reportThroughCli,
} from './support/fuzz/campaigns.js';
import { seedCorpus } from './support/fuzz/corpus.js';
import { seedEventStreams } from './support/fuzz/events.js';
import { fixInPlaceApiOf } from './support/fuzz/fixInPlaceApi.js';
import { auditPaths } from '../dist/audit/audit.js';
import { collectFixes } from '../dist/audit/fix/patches.js';
import { applyFixesInPlace } from '../dist/audit/fix/inPlace.js';
import { applyPatch } from '../dist/audit/patch.js';
import { defaultSettings } from '../dist/audit/settings.js';
import { decodeText } from '../dist/audit/sources.js';
import { auditTextsRun } from '../dist/audit/testing.js';
import { ZerodropError } from '../dist/errors.js';
import { readLabFile } from '../dist/lab/config/labFile.js';
import { configureFromLabFile } from '../dist/lab/run/configure.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = join(repoRoot, 'dist', 'cli', 'main.js');
const BASE_SEED = Number(process.env.ZERODROP_FUZZ_SEED ?? 20_261_201);
const SCALE = Number(process.env.ZERODROP_FUZZ_SCALE ?? 1);
const ONLY = (process.env.ZERODROP_FUZZ_ONLY ?? '')
  .split(',')
  .map((w) => w.trim())
  .filter(Boolean);

export async function run(): Promise<void> {
  const corpus = seedCorpus(repoRoot);
  const count = (kind: (k: string) => boolean) => corpus.filter((s) => kind(s.kind)).length;
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-fuzz-bench-'));
  const fixApi = fixInPlaceApiOf({
    audit: (path: string) => auditPaths([path], { settings: defaultSettings() }),
    collectFixes,
    applyFixesInPlace: (fixes, sources) => applyFixesInPlace(fixes, sources),
    applyPatch,
    decodeText,
  });
  const per = (n: number) => Math.max(1, Math.round(n * SCALE));
  const tally: FixInPlaceTally = { written: 0, unchanged: 0 };
  const campaigns: Array<[string, number, () => Failure[] | Promise<Failure[]>]> = [
    ['audit, in process', count(() => true) * per(100), () => auditInProcess((t) => auditTextsRun(t), corpus, { perSeed: per(100), baseSeed: BASE_SEED })],
    [
      'audit, through the CLI',
      count(() => true) * per(20),
      () => auditThroughCli(cliPath, corpus, { perSeed: per(20), baseSeed: BASE_SEED + 7, dir: join(dir, 'cli'), batchSize: 200 }),
    ],
    [
      'audit --fix-in-place, through the CLI',
      count(() => true) * per(10),
      () =>
        auditThroughCli(cliPath, corpus, {
          perSeed: per(10),
          baseSeed: BASE_SEED + 11,
          dir: join(dir, 'fix-cli'),
          batchSize: 200,
          extraArgs: ['--fix-in-place'],
        }),
    ],
    [
      '--fix-in-place property (byte-identical or original + fix)',
      count((k) => k === 'yaml') * per(30),
      () => fixInPlaceProperty(fixApi, corpus, { perSeed: per(30), baseSeed: BASE_SEED, dir: join(dir, 'property'), tally }),
    ],
    [
      'lab configuration',
      count((k) => k === 'lab') * per(1000),
      () =>
        labConfiguration(
          {
            configure: (file) => configureFromLabFile(readLabFile(file), { seed: 1 }, 'zerodrop lab fuzz'),
            isUserError: (err) => err instanceof ZerodropError,
          },
          corpus,
          { perSeed: per(1000), baseSeed: BASE_SEED, dir: join(dir, 'lab'), repoRoot },
        ),
    ],
    [
      'report events, through the CLI',
      seedEventStreams().length * per(30),
      () => reportThroughCli(cliPath, seedEventStreams(), { perSeed: per(30), baseSeed: BASE_SEED, dir: join(dir, 'report') }),
    ],
  ];
  const chosen = campaigns.filter(([name]) => ONLY.length === 0 || ONLY.some((w) => name.includes(w)));
  if (chosen.length === 0) throw new Error(`ZERODROP_FUZZ_ONLY=${ONLY.join(',')} names no campaign of: ${campaigns.map(([n]) => n).join('; ')}`);
  process.stdout.write(
    `base seed ${BASE_SEED}, scale ${SCALE}, ${corpus.length} seed files\n\n| campaign | cases | failures | ms per case |\n|---|---:|---:|---:|\n`,
  );
  let failed = 0;
  try {
    for (const [name, cases, campaign] of chosen) {
      const t0 = performance.now();
      const failures = await campaign();
      const ms = performance.now() - t0;
      failed += failures.length;
      process.stdout.write(`| ${name} | ${cases} | ${failures.length} | ${(ms / cases).toFixed(1)} |\n`);
      if (failures.length > 0) process.stdout.write(`\n${describeFailures(failures)}\n\n`);
    }
    if (tally.written + tally.unchanged > 0)
      process.stdout.write(`\n--fix-in-place property: ${tally.written} cases rewritten (original + fix), ${tally.unchanged} left byte-identical\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed > 0) process.exitCode = 1;
}
