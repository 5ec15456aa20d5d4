/**
 * Mutations of manifests the way hostile and careless inputs differ from clean ones: text-level
 * damage (cut lines, stray indicators, control characters, truncation), YAML features real files
 * use (comments everywhere, CRLF, a BOM, flow style, anchors and aliases, merge keys, tags,
 * another indentation, JSON), and wrong shapes (a number where a string belongs, a mapping where a
 * list belongs, fields removed). Every mutation is a pure function of the text and the generator.
 */
import { Document, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Random } from './random.js';

export type Mutator = (text: string, r: Random) => string;

function lines(text: string): string[] {
  return text.split('\n');
}

function randomLine(text: string, r: Random, test: (line: string) => boolean = (l) => l.trim() !== ''): number | undefined {
  const ls = lines(text);
  const candidates = ls.map((l, i) => (test(l) ? i : -1)).filter((i) => i >= 0);
  return candidates.length > 0 ? r.pick(candidates) : undefined;
}

function onLine(text: string, r: Random, test: (line: string) => boolean, change: (line: string) => string | string[]): string {
  const i = randomLine(text, r, test);
  if (i === undefined) return text;
  const ls = lines(text);
  ls.splice(i, 1, ...([] as string[]).concat(change(ls[i]!)));
  return ls.join('\n');
}

const HOSTILE = [
  '-',
  ':',
  '[',
  '{',
  ']',
  '}',
  '"',
  "'",
  '&a',
  '*a',
  '!!str',
  '!!binary',
  '<<: *a',
  '? ',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\t',
  '\0',
  '\u0085',
  '\u2028',
  '\x1b[31m',
  '😀',
  '#',
  ',',
  '\r',
];

/** Damage: what a bad merge, a truncated download or a stray keystroke does to a file. */
export const DAMAGE: Record<string, Mutator> = {
  deleteLine: (t, r) =>
    onLine(
      t,
      r,
      () => true,
      () => [],
    ),
  duplicateLine: (t, r) =>
    onLine(
      t,
      r,
      () => true,
      (l) => [l, l],
    ),
  swapLines: (t, r) => {
    const ls = lines(t);
    if (ls.length < 2) return t;
    const i = r.int(ls.length - 1);
    [ls[i], ls[i + 1]] = [ls[i + 1]!, ls[i]!];
    return ls.join('\n');
  },
  truncate: (t, r) => t.slice(0, r.int(t.length + 1)),
  insertJunk: (t, r) => {
    const at = r.int(t.length + 1);
    return t.slice(0, at) + r.pick(HOSTILE) + t.slice(at);
  },
  shiftIndent: (t, r) =>
    onLine(
      t,
      r,
      (l) => l.trim() !== '',
      (l) => (r.chance(0.5) ? ` ${l}` : l.replace(/^ /, '')),
    ),
  tabIndent: (t, r) =>
    onLine(
      t,
      r,
      (l) => /^ +\S/.test(l),
      (l) => l.replace(/^ +/, '\t'),
    ),
  bigScalar: (t, r) =>
    onLine(
      t,
      r,
      (l) => /:\s+\S/.test(l),
      (l) => l.replace(/:\s+.*$/, `: ${'x'.repeat(20_000 + r.int(80_000))}`),
    ),
  controlChars: (t, r) =>
    onLine(
      t,
      r,
      (l) => /:\s+\S/.test(l),
      (l) => `${l}\x07\x1b]0;title\x07`,
    ),
  crossDocumentAlias: (t) => `${t}\n---\nx: *missing_anchor\n`,
  deepNest: (t, r) => {
    const depth = 50 + r.int(400);
    return onLine(
      t,
      r,
      (l) => /:\s+\S/.test(l),
      (l) => l.replace(/:\s+.*$/, `: ${'['.repeat(depth)}1${']'.repeat(depth)}`),
    );
  },
};

function docs(text: string) {
  const ds = parseAllDocuments(text);
  return Array.isArray(ds) && ds.every((d) => d.errors.length === 0) ? ds : undefined;
}

/** Every collection node and every pair under `root`, in document order. */
function nodesOf(root: unknown): { collections: Array<YAMLMap | import('yaml').YAMLSeq>; pairs: Array<{ pair: Pair; map: YAMLMap }>; scalars: Node[] } {
  const out = { collections: [] as Array<YAMLMap | import('yaml').YAMLSeq>, pairs: [] as Array<{ pair: Pair; map: YAMLMap }>, scalars: [] as Node[] };
  const visit = (n: unknown) => {
    if (isMap(n)) {
      out.collections.push(n);
      for (const p of n.items) {
        out.pairs.push({ pair: p, map: n });
        visit(p.value);
      }
    } else if (isSeq(n)) {
      out.collections.push(n);
      for (const i of n.items) visit(i);
    } else if (isScalar(n)) out.scalars.push(n);
  };
  visit(root);
  return out;
}

/** Applies `change` to one random document of the stream and prints the stream again. */
function onDocument(text: string, r: Random, change: (doc: Document) => boolean): string {
  const ds = docs(text);
  if (!ds || ds.length === 0) return text;
  const doc = r.pick(ds);
  if (!change(doc)) return text;
  try {
    return ds.map((d) => d.toString({ lineWidth: 0 })).join('');
  } catch {
    return text;
  }
}

const OTHER_VALUES: unknown[] = ['3', '"3"', 3, 2.5, -1, true, 'yes', null, [], {}, ['a', 1], { a: 1 }, 'http', '25%', '', 2 ** 40];

/** Wrong shapes: what a template with a missing quote or a wrong level of nesting renders. */
export const SHAPES: Record<string, Mutator> = {
  typeSwap: (t, r) =>
    onDocument(t, r, (doc) => {
      const { pairs } = nodesOf(doc.contents);
      if (pairs.length === 0) return false;
      const { pair } = r.pick(pairs);
      pair.value = doc.createNode(r.pick(OTHER_VALUES));
      return true;
    }),
  removeField: (t, r) =>
    onDocument(t, r, (doc) => {
      const { pairs } = nodesOf(doc.contents);
      if (pairs.length === 0) return false;
      const { pair, map } = r.pick(pairs);
      map.items.splice(map.items.indexOf(pair), 1);
      return true;
    }),
  listAsMap: (t, r) =>
    onDocument(t, r, (doc) => {
      const seqs = nodesOf(doc.contents).pairs.filter(({ pair }) => isSeq(pair.value));
      if (seqs.length === 0) return false;
      const { pair } = r.pick(seqs);
      const items = (pair.value as import('yaml').YAMLSeq).items.map((n, i) => [`k${i}`, (n as Node).toJSON?.() ?? null]);
      pair.value = doc.createNode(Object.fromEntries(items));
      return true;
    }),
  nullItem: (t, r) =>
    onDocument(t, r, (doc) => {
      const seqs = nodesOf(doc.contents).collections.filter(isSeq);
      if (seqs.length === 0) return false;
      r.pick(seqs).items.push(doc.createNode(null));
      return true;
    }),
  quoteNumber: (t, r) =>
    onLine(
      t,
      r,
      (l) => /:\s+\d+\s*$/.test(l),
      (l) => l.replace(/:\s+(\d+)\s*$/, ': "$1"'),
    ),
};

/**
 * Features of valid YAML that real manifests use and that must not change what an object means
 * (or, for anchors and tags, that --fix-in-place must refuse rather than edit through).
 */
export const VARIATIONS: Record<string, Mutator> = {
  trailingComment: (t, r) =>
    onLine(
      t,
      r,
      (l) => /\S/.test(l) && !l.includes('#') && !/[|>][-+]?\s*$/.test(l),
      (l) => `${l}  # fuzz: note`,
    ),
  commentLine: (t, r) =>
    onLine(
      t,
      r,
      (l) => /^\s*[^\s#]/.test(l),
      (l) => [`${/^\s*/.exec(l)![0]}# fuzz: a comment line`, l],
    ),
  crlf: (t) => t.replace(/\r?\n/g, '\r\n'),
  bom: (t) => (t.startsWith('\uFEFF') ? t : `\uFEFF${t}`),
  noFinalNewline: (t) => t.replace(/\s+$/, ''),
  trailingSpaces: (t, r) =>
    onLine(
      t,
      r,
      (l) => /\S$/.test(l) && !/[|>][-+]?$/.test(l),
      (l) => `${l}   `,
    ),
  quoteScalar: (t, r) =>
    onLine(
      t,
      r,
      (l) => /^\s*(- )?[\w.-]+:\s+[A-Za-z][\w./-]*\s*$/.test(l) && !/:\s+(true|false|null|yes|no|on|off)\s*$/i.test(l),
      (l) => l.replace(/:\s+([A-Za-z][\w./-]*)\s*$/, r.chance(0.5) ? ': "$1"' : ": '$1'"),
    ),
  flowStyle: (t, r) =>
    onDocument(t, r, (doc) => {
      const { collections } = nodesOf(doc.contents);
      const inner = collections.filter((c) => c !== doc.contents);
      if (inner.length === 0) return false;
      r.pick(inner).flow = true;
      return true;
    }),
  reindent: (t, r) => {
    const ds = docs(t);
    if (!ds) return t;
    const indent = r.pick([2, 3, 4]);
    const indentSeq = r.chance(0.5);
    return ds.map((d) => d.toString({ indent, indentSeq, lineWidth: 0 })).join('');
  },
  json: (t, r) => {
    const ds = docs(t);
    if (!ds) return t;
    return ds.map((d) => JSON.stringify(d.toJS(), null, r.chance(0.5) ? 2 : 0)).join('\n---\n');
  },
  anchorAlias: (t, r) =>
    onDocument(t, r, (doc) => {
      const { collections } = nodesOf(doc.contents);
      const inner = collections.filter((c) => c !== doc.contents);
      if (inner.length === 0 || !isMap(doc.contents)) return false;
      const target = r.pick(inner);
      target.anchor = 'fz';
      doc.contents.items.push(doc.createPair('x-fuzz-copy', doc.createAlias(target, 'fz')));
      return true;
    }),
  mergeKey: (t, r) =>
    onDocument(t, r, (doc) => {
      const maps = nodesOf(doc.contents).collections.filter((c): c is YAMLMap => isMap(c) && c !== doc.contents && !c.flow && c.items.length >= 2);
      if (maps.length === 0 || !isMap(doc.contents)) return false;
      const map = r.pick(maps);
      const moved = map.items.splice(0, 1 + r.int(map.items.length - 1));
      const base = new Document().createNode({}) as YAMLMap;
      base.items = moved;
      base.anchor = 'fzbase';
      doc.contents.items.unshift(doc.createPair('x-fuzz-base', base));
      const merge = doc.createPair('<<', doc.createAlias(base, 'fzbase'));
      map.items.unshift(merge);
      return true;
    }),
  tag: (t, r) =>
    onDocument(t, r, (doc) => {
      const { collections } = nodesOf(doc.contents);
      if (collections.length === 0) return false;
      const c = r.pick(collections);
      c.tag = r.pick(isMap(c) ? ['tag:yaml.org,2002:map', 'tag:yaml.org,2002:str', '!custom'] : ['tag:yaml.org,2002:seq', '!custom']);
      return true;
    }),
  duplicateKey: (t, r) =>
    onLine(
      t,
      r,
      (l) => /^\s*[\w.-]+:\s+\S/.test(l) && !/^\s*-/.test(l),
      (l) => [l, l],
    ),
  reorderKeys: (t, r) =>
    onDocument(t, r, (doc) => {
      const maps = nodesOf(doc.contents).collections.filter((c): c is YAMLMap => isMap(c) && c.items.length >= 2);
      if (maps.length === 0) return false;
      const m = r.pick(maps);
      m.items.reverse();
      return m.items.every(isPair);
    }),
};

export type Pool = Record<string, Mutator>;

/** One case: up to `max` mutations from the pools, applied in turn; `applied` names them for the failure message. */
export function mutate(text: string, r: Random, pool: Pool, max = 3): { text: string; applied: string[] } {
  const names = Object.keys(pool);
  const n = 1 + r.int(max);
  const applied: string[] = [];
  let out = text;
  for (let i = 0; i < n; i++) {
    const name = r.pick(names);
    applied.push(name);
    try {
      out = pool[name]!(out, r);
    } catch {
      // A mutation that does not apply to this text (an unresolvable alias, say) leaves it as it is.
    }
  }
  return { text: out, applied };
}

/** The bytes of a text in one of the encodings kubectl reads: UTF-8, with or without a BOM, or UTF-16 with a BOM. */
export function encodeAs(text: string, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const body = Buffer.from(text.replace(/^\uFEFF/, ''), 'utf16le');
  if (encoding === 'utf-16be') body.swap16();
  return Buffer.concat([Buffer.from(encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}
