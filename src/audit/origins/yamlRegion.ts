/**
 * YAML text that positions can be reported in: a whole file, or a patch written inline in a
 * kustomization (`patch: |-` block). An inline patch is parsed on its own, and its positions are
 * shifted back to the lines and columns of the kustomization file that holds it.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, isScalar, Scalar, type Document, type Node } from 'yaml';
import type { Position } from '../yamlSource.js';

export interface YamlRegion {
  /** Absolute path of the file the text is in. */
  file: string;
  /** The parsed text (for an inline patch, the patch alone). */
  text: string;
  documents: Document.Parsed[];
  /** File position of an offset into the parsed text. */
  position(offset: number): Position;
}

function parse(text: string): { documents: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const documents = (Array.isArray(docs) ? docs : []).filter((d) => d.errors.length === 0) as Document.Parsed[];
  return { documents, lineCounter };
}

/** Files read for one audit run, parsed once each; undefined when unreadable. */
export class RegionCache {
  readonly #files = new Map<string, YamlRegion | undefined>();

  file(path: string): YamlRegion | undefined {
    if (this.#files.has(path)) return this.#files.get(path);
    let region: YamlRegion | undefined;
    try {
      const text = readFileSync(path, 'utf8');
      const { documents, lineCounter } = parse(text);
      region = {
        file: path,
        text,
        documents,
        position: (offset) => {
          const p = lineCounter.linePos(offset);
          return { line: p.line, column: p.col };
        },
      };
    } catch {
      region = undefined;
    }
    this.#files.set(path, region);
    return region;
  }
}

/**
 * A patch held in a scalar of `outer`. A literal block (`|`, `|-`) keeps its lines, so each
 * position maps to its own line of the outer file, shifted by the block's indentation; any other
 * scalar style (folded, quoted) maps every position to where the scalar starts.
 */
export function inlineRegion(outer: YamlRegion, scalar: Node | null | undefined): YamlRegion | undefined {
  if (!isScalar(scalar) || typeof scalar.value !== 'string' || !scalar.range) return undefined;
  const text = scalar.value;
  const { documents, lineCounter } = parse(text);
  const start = outer.position(scalar.range[0]);
  if (scalar.type !== Scalar.BLOCK_LITERAL) return { file: outer.file, text, documents, position: () => start };
  const contentStart = outer.text.indexOf('\n', scalar.range[0]) + 1;
  const firstLine = /^( *)\S/m.exec(outer.text.slice(contentStart, scalar.range[1]));
  const indent = firstLine ? firstLine[1]!.length : 0;
  return {
    file: outer.file,
    text,
    documents,
    position: (offset) => {
      const p = lineCounter.linePos(offset);
      return { line: start.line + p.line, column: indent + p.col };
    },
  };
}
