/**
 * The fuzz campaigns, shared by `npm test` (small, on the sources) and `npm run bench -- fuzz`
 * (large, on the built package): each takes the code under test as an argument, runs seeded
 * mutations of the seed corpus through it and returns the cases that broke a property, each
 * replayable from its seed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, parseAllDocuments } from 'yaml';
import { crashOf, runCli } from './cli.js';
import type { Seed } from './corpus.js';
import { DAMAGE, encodeAs, mutate, SHAPES, VARIATIONS, type Pool } from './mutations.js';
import { Random } from './random.js';

export interface Failure {
  seed: number;
  input: string;
  applied: string[];
  problem: string;
}

export interface CampaignOptions {
  /** Cases per seed file. */
  perSeed: number;
  /** Base seed; case i of seed file j uses baseSeed + j * 100_003 + i. */
  baseSeed: number;
}

const ALL: Pool = { ...DAMAGE, ...SHAPES, ...VARIATIONS };

function* cases(seeds: readonly Seed[], options: CampaignOptions, pool: Pool) {
  for (const [j, s] of seeds.entries()) {
    for (let i = 0; i < options.perSeed; i++) {
      const seed = options.baseSeed + j * 100_003 + i;
      const r = new Random(seed);
      const m = mutate(s.text, r, s.kind === 'dockerfile' ? DAMAGE : pool);
      yield { seed, source: s, text: m.text, applied: m.applied, r };
    }
  }
}

/** The audit run in process with rules in debug mode: any exception is a bug (bad input is data). */
export type InProcessAudit = (texts: Array<{ file: string; text: string }>) => { errors: Array<{ message: string; line?: number; code?: string }> };

export function auditInProcess(audit: InProcessAudit, seeds: readonly Seed[], options: CampaignOptions): Failure[] {
  const failures: Failure[] = [];
  for (const c of cases(seeds, options, ALL)) {
    const file = c.source.kind === 'dockerfile' ? c.source.name : c.source.name.replace(/\.lab\.ya?ml$/, '.yaml');
    try {
      const run = audit([{ file, text: c.text }]);
      for (const e of run.errors)
        if (e.code?.startsWith('manifest-') && e.line === undefined)
          failures.push({ seed: c.seed, input: c.source.name, applied: c.applied, problem: `unpositioned: ${e.message}` });
    } catch (err) {
      failures.push({ seed: c.seed, input: c.source.name, applied: c.applied, problem: `threw ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}` });
    }
  }
  return failures;
}

/**
 * Mutated files, in every encoding kubectl reads, audited a directory at a time through the CLI;
 * a batch that crashes is re-run file by file to name the cases.
 */
export function auditThroughCli(
  cliPath: string,
  seeds: readonly Seed[],
  options: CampaignOptions & { dir: string; batchSize: number; extraArgs?: string[] },
): Failure[] {
  const failures: Failure[] = [];
  const all = [...cases(seeds, options, ALL)];
  for (let b = 0; b < all.length; b += options.batchSize) {
    const batch = all.slice(b, b + options.batchSize);
    const dir = join(options.dir, `batch-${b}`);
    mkdirSync(dir, { recursive: true });
    const files = batch.map((c, i) => {
      const ext = c.source.kind === 'dockerfile' ? '.Dockerfile' : c.text.trimStart().startsWith('{') ? '.json' : '.yaml';
      const file = join(dir, `case-${i}${ext}`);
      writeFileSync(file, encodeAs(c.text, c.r.pick(['utf-8', 'utf-8', 'utf-8', 'utf-16le', 'utf-16be'] as const)));
      return file;
    });
    const run = runCli(cliPath, ['audit', dir, '--format', 'json', ...(options.extraArgs ?? [])]);
    const problem = crashOf(run, [0, 1, 2, 4]) ?? jsonProblem(run.stdout);
    if (problem) {
      batch.forEach((c, i) => {
        const alone = runCli(cliPath, ['audit', files[i]!, '--format', 'json', ...(options.extraArgs ?? [])]);
        const p = crashOf(alone, [0, 1, 2, 4]) ?? jsonProblem(alone.stdout);
        if (p) failures.push({ seed: c.seed, input: c.source.name, applied: c.applied, problem: p });
      });
      if (failures.length === 0)
        failures.push({ seed: batch[0]!.seed, input: dir, applied: [], problem: `the batch failed but no file alone did: ${problem}` });
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}

function jsonProblem(stdout: string): string | undefined {
  try {
    const report = JSON.parse(stdout) as { findings?: unknown[]; errors?: unknown[] };
    return Array.isArray(report.findings) && Array.isArray(report.errors) ? undefined : 'the JSON report lacks findings or errors';
  } catch {
    return `stdout is not the JSON report: ${stdout.slice(0, 200)}`;
  }
}

/** What the fix-in-place property needs from the code under test. */
export interface FixInPlaceApi {
  /** Audits one file and applies --fix-in-place the way the CLI does (nothing when any input failed to parse). */
  fixFile(path: string): Promise<{
    written: boolean;
    fixes: Array<{ documentIndex: number; basePath: Array<string | number>; patch: Record<string, unknown>; object: string; resolves: string[] }>;
  }>;
  /** Findings of one file after the edit, as `Kind name rule (container)` labels. */
  findingLabels(path: string): Promise<string[]>;
  applyPatch(target: unknown, patch: Record<string, unknown>): unknown;
  decode(bytes: Buffer): string;
}

function comments(text: string): number {
  let n = 0;
  for (const token of new Lexer().lex(text)) if (token.startsWith('#')) n++;
  return n;
}

function hasNull(v: unknown): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.some(hasNull);
  return !!v && typeof v === 'object' && Object.values(v).some(hasNull);
}

function setAt(value: unknown, path: ReadonlyArray<string | number>, f: (v: unknown) => unknown): unknown {
  if (path.length === 0) return f(value);
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, f);
  return copy;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Date))
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}

/**
 * For every mutation of every YAML fixture: `--fix-in-place` leaves the file byte-identical, or
 * the file now reads as exactly the original objects with each fix's patch applied, the fixed
 * findings are gone, and the line endings, the encoding and (unless the fix deletes a key) every
 * comment are kept, with no temporary file left beside it.
 */
/** How the cases of the fix-in-place property ended, so a run can show it was not vacuous. */
export interface FixInPlaceTally {
  /** The file was rewritten (and then checked to be exactly original + fix). */
  written: number;
  /** Nothing was written (and the file was checked to be byte-identical). */
  unchanged: number;
}

export async function fixInPlaceProperty(
  api: FixInPlaceApi,
  seeds: readonly Seed[],
  options: CampaignOptions & { dir: string; tally?: FixInPlaceTally },
): Promise<Failure[]> {
  const failures: Failure[] = [];
  const yamlSeeds = seeds.filter((s) => s.kind === 'yaml');
  mkdirSync(options.dir, { recursive: true });
  let n = 0;
  for (const c of cases(yamlSeeds, options, VARIATIONS)) {
    const fail = (problem: string) => failures.push({ seed: c.seed, input: c.source.name, applied: c.applied, problem });
    const encoding = c.r.pick(['utf-8', 'utf-8', 'utf-8', 'utf-16le'] as const);
    const dir = join(options.dir, `case-${n++}`);
    mkdirSync(dir);
    const file = join(dir, c.text.trimStart().startsWith('{') ? 'app.json' : 'app.yaml');
    const before = encodeAs(c.text, encoding);
    writeFileSync(file, before);
    try {
      const { written, fixes } = await api.fixFile(file);
      const after = readFileSync(file);
      const leftovers = readdirSync(dir).filter((f) => f !== 'app.yaml' && f !== 'app.json');
      if (leftovers.length > 0) fail(`left ${leftovers.join(', ')} beside the file`);
      if (options.tally) options.tally[written ? 'written' : 'unchanged']++;
      if (!written) {
        if (!after.equals(before)) fail('not reported as written, but the file changed');
        continue;
      }
      if (!after.subarray(0, 2).equals(before.subarray(0, 2))) fail('the encoding or byte-order mark changed');
      const oldText = api.decode(before);
      const newText = api.decode(after);
      if (oldText.includes('\r\n') && !/(^|[^\r])\n/.test(oldText) && /(^|[^\r])\n/.test(newText)) fail('CRLF line endings became LF');
      if (!fixes.some((f) => hasNull(f.patch)) && comments(newText) < comments(oldText)) fail(`comments lost: ${comments(oldText)} → ${comments(newText)}`);
      const oldDocs = parseAllDocuments(oldText, { merge: true } as never) as unknown as Array<{ toJS(): unknown }>;
      const newDocs = parseAllDocuments(newText, { merge: true } as never) as unknown as Array<{ toJS(): unknown }>;
      if (oldDocs.length !== newDocs.length) {
        fail(`document count changed: ${oldDocs.length} → ${newDocs.length}`);
        continue;
      }
      const expected = oldDocs.map((d) => d.toJS());
      for (const f of fixes) expected[f.documentIndex] = setAt(expected[f.documentIndex], f.basePath, (o) => api.applyPatch(o, f.patch));
      newDocs.forEach((d, i) => {
        if (JSON.stringify(canonical(d.toJS())) !== JSON.stringify(canonical(expected[i]))) fail(`document ${i} is not exactly the original plus the fix`);
      });
      const left = new Set(await api.findingLabels(file));
      for (const f of fixes) for (const label of f.resolves) if (left.has(`${f.object} ${label}`)) fail(`the fix did not resolve ${f.object} ${label}`);
    } catch (err) {
      fail(`threw ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return failures;
}

/** The lab's configuration path in process: a lab file and its manifests either configure a run or throw the CLI's one-line ZerodropError. */
export interface LabApi {
  /** Configures a run from the lab file; a rejection counts like a throw. */
  configure(labFile: string): unknown;
  isUserError(err: unknown): boolean;
}

export async function labConfiguration(api: LabApi, seeds: readonly Seed[], options: CampaignOptions & { dir: string; repoRoot: string }): Promise<Failure[]> {
  const failures: Failure[] = [];
  const labs = seeds.filter((s) => s.kind === 'lab');
  let n = 0;
  for (const c of cases(labs, options, ALL)) {
    // The lab file and its manifests both mutate: the manifests are where shapes go wrong.
    const dir = join(options.dir, `lab-${n++}`);
    mkdirSync(dir, { recursive: true });
    const labText = c.r.chance(0.5) ? c.text : c.source.text;
    const manifestsOf =
      /manifests:\s*\[([^\]]*)\]/
        .exec(c.source.text)?.[1]
        ?.split(',')
        .map((m) => m.trim()) ?? [];
    for (const m of manifestsOf) {
      const original = join(options.repoRoot, c.source.name, '..', m);
      let text = '';
      try {
        text = readFileSync(original, 'utf8');
      } catch {}
      writeFileSync(join(dir, m), labText === c.source.text || c.r.chance(0.5) ? mutate(text, c.r, { ...SHAPES, ...DAMAGE, ...VARIATIONS }).text : text);
    }
    const file = join(dir, 'run.lab.yaml');
    writeFileSync(file, labText);
    try {
      await api.configure(file);
    } catch (err) {
      if (!api.isUserError(err))
        failures.push({
          seed: c.seed,
          input: c.source.name,
          applied: c.applied,
          problem: `threw ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}`,
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return failures;
}

/** Mutations of an NDJSON events file: lines cut, fields removed or retyped, values out of range. */
export function mutateEvents(text: string, r: Random): { text: string; applied: string[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const applied: string[] = [];
  const steps = 1 + r.int(4);
  for (let s = 0; s < steps; s++) {
    const i = r.int(lines.length);
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(lines[i]!) as Record<string, unknown>;
    } catch {
      continue;
    }
    const keys = Object.keys(ev).filter((k) => k !== 't' && k !== 'run' && k !== 'type');
    const op = r.pick(['drop', 'retype', 'huge', 'negative', 'nan-string', 'cut', 'duplicate', 'strip-all']);
    applied.push(`${op}@${i}`);
    if (op === 'cut') lines[i] = lines[i]!.slice(0, r.int(lines[i]!.length));
    else if (op === 'duplicate') lines.splice(i, 0, lines[i]!);
    else if (op === 'strip-all') lines[i] = JSON.stringify({ t: ev.t, run: ev.run, type: ev.type });
    else if (keys.length > 0) {
      const k = r.pick(keys);
      if (op === 'drop') delete ev[k];
      else if (op === 'retype') ev[k] = r.pick([null, 'x', 1, [], {}, true, '<script>x</script>']);
      else if (op === 'huge') ev[k] = r.pick([1e308, 2 ** 53, 'x'.repeat(10_000)]);
      else if (op === 'negative') ev[k] = -1e9;
      else ev[k] = 'NaN';
      lines[i] = JSON.stringify(ev);
    }
  }
  return { text: `${lines.join('\n')}\n`, applied };
}

/** `zerodrop report` on mutated events files: a report, or a one-line error, never a crash. */
export function reportThroughCli(cliPath: string, eventSeeds: readonly string[], options: CampaignOptions & { dir: string }): Failure[] {
  const failures: Failure[] = [];
  mkdirSync(options.dir, { recursive: true });
  for (const [j, text] of eventSeeds.entries()) {
    for (let i = 0; i < options.perSeed; i++) {
      const seed = options.baseSeed + j * 100_003 + i;
      const m = mutateEvents(text, new Random(seed));
      const file = join(options.dir, `events-${seed}.ndjson`);
      writeFileSync(file, m.text);
      const run = runCli(cliPath, ['report', file, '-o', join(options.dir, `report-${seed}.html`), '--force']);
      const problem = crashOf(run, [0, 2]);
      if (problem) failures.push({ seed, input: `events seed ${j}`, applied: m.applied, problem });
    }
  }
  return failures;
}

export function describeFailures(failures: readonly Failure[]): string {
  return failures
    .slice(0, 20)
    .map((f) => `seed ${f.seed} (${f.input}; ${f.applied.join(' + ')}): ${f.problem}`)
    .join('\n');
}
