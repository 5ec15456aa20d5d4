/**
 * Dockerfile text to a `DockerfileView`: the instructions that shape the final image, with
 * positions. dockerfile-ast is lenient (it never throws), so the few mistakes that make
 * `docker build` refuse a file are reported here as input errors.
 */
import { createRequire } from 'node:module';
import type { From, Instruction } from 'dockerfile-ast';
import type { DockerfileInstruction, DockerfileView, InputError } from './types.js';
import type { Source } from './sources.js';

// dockerfile-ast (a CommonJS package with the VS Code language-server types) takes longer to load
// than the rest of an audit of one manifest, so it is required on first use: a run without
// Dockerfiles, such as a pre-commit hook on YAML files, never loads it.
const require = createRequire(import.meta.url);
let dockerfileAst: typeof import('dockerfile-ast') | undefined;
const parser = () => (dockerfileAst ??= require('dockerfile-ast') as typeof import('dockerfile-ast')).DockerfileParser;

const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** JSON array of strings, as Docker decides exec form; anything else (single quotes too) is shell form (docs/reference/signals.md#pid-1). */
export function parseExecForm(raw: string): string[] | undefined {
  const t = raw.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function toView(i: Instruction): DockerfileInstruction {
  const raw = i.getRawArgumentsContent() ?? '';
  const start = i.getRange().start;
  return { keyword: i.getKeyword().toUpperCase(), raw, execForm: parseExecForm(raw), line: start.line + 1, column: start.character + 1 };
}

export function parseDockerfileSource(source: Source): { view: DockerfileView | undefined; errors: InputError[] } {
  const errors: InputError[] = [];
  const df = parser().parse(source.text);
  const all = df.getInstructions();
  for (const i of all) {
    const kw = i.getKeyword().toUpperCase();
    if (!KNOWN_INSTRUCTIONS.has(kw)) {
      const s = i.getRange().start;
      errors.push({ file: source.file, line: s.line + 1, column: s.character + 1, message: `unknown Dockerfile instruction "${i.getKeyword()}"` });
    }
  }
  const firstNonArg = all.find((i) => i.getKeyword().toUpperCase() !== 'ARG');
  if (firstNonArg?.getKeyword().toUpperCase() !== 'FROM') {
    const s = firstNonArg?.getRange().start ?? { line: 0, character: 0 };
    errors.push({ file: source.file, line: s.line + 1, column: s.character + 1, message: 'Dockerfile must start with FROM (after optional ARG lines)' });
  }
  if (errors.length > 0) return { view: undefined, errors };

  // Stages in order; the final image inherits from earlier stages it is built FROM (FROM build AS final).
  const froms = df.getFROMs();
  const stageIndexOf = (name: string) => froms.findIndex((f) => (f.getBuildStage() ?? '').toLowerCase() === name.toLowerCase());
  const stageInstructions = (idx: number): Instruction[] => {
    const start = froms[idx]!.getRange().start.line;
    const end = idx + 1 < froms.length ? froms[idx + 1]!.getRange().start.line : Number.POSITIVE_INFINITY;
    return all.filter((i) => i.getRange().start.line >= start && i.getRange().start.line < end);
  };
  const chain: number[] = [];
  let idx = froms.length - 1;
  const seen = new Set<number>();
  while (idx >= 0 && !seen.has(idx)) {
    seen.add(idx);
    chain.unshift(idx);
    const image = (froms[idx] as From).getImage() ?? '';
    const parent = stageIndexOf(image);
    idx = parent >= 0 && parent < idx ? parent : -1;
  }
  const rootFrom = froms[chain[0]!]!;
  const finalBaseImage = rootFrom.getImage() ?? undefined;
  const instructions = chain.flatMap((i) => stageInstructions(i)).map(toView);
  return { view: { file: source.file, finalBaseImage, instructions }, errors };
}
