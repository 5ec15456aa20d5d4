/**
 * Text for values `--fix-in-place` adds to a manifest, in the style of the text around them:
 * block YAML at a given indentation, or flow (`{a: 1}`, `["sh", "-c"]`) with the quoting the
 * surrounding collection uses, so a JSON manifest stays JSON.
 *
 * Strings are quoted whenever YAML 1.1 would read them as something else (`yes`, `on`, `0755`):
 * `kubectl apply` decodes manifests with YAML 1.1 rules, where plain `yes` is a boolean.
 */
import { parse, stringify, type ToStringOptions } from 'yaml';

const YAML_11: ToStringOptions & { version: '1.1' } = { version: '1.1', lineWidth: 0 };

export interface BlockStyle {
  /** Spaces per nesting level. */
  indentStep: number;
  /** `key:\n  - a` (true) or `key:\n- a` (false). */
  indentSeq: boolean;
  eol: string;
}

/** `key: value` as block lines at column `indent`; the first line carries no indentation (the caller places it). */
export function blockPair(key: string, value: unknown, indent: number, style: BlockStyle): string {
  return indentLines(stringify({ [key]: value }, { ...YAML_11, indent: style.indentStep, indentSeq: style.indentSeq }), indent, style.eol);
}

/** A whole block value (a map's pairs or a list's items) at column `indent`, first line unindented. */
export function blockValue(value: unknown, indent: number, style: BlockStyle): string {
  return indentLines(stringify(value, { ...YAML_11, indent: style.indentStep, indentSeq: style.indentSeq }), indent, style.eol);
}

/** A list item `- value` at column `indent` (the dash's column), first line unindented. */
export function blockItem(value: unknown, indent: number, style: BlockStyle): string {
  return indentLines(stringify([value], { ...YAML_11, indent: style.indentStep, indentSeq: true }), indent, style.eol);
}

function indentLines(text: string, indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join(eol);
}

export type Quoting = 'double' | 'single' | 'plain';

/** A string scalar in the given quoting, falling back to double quotes whenever plain text would read back as something else. */
export function scalarText(value: unknown, quoting: Quoting, inFlow: boolean): string {
  if (typeof value !== 'string') return value === null || value === undefined ? 'null' : String(value);
  if (quoting === 'double') return JSON.stringify(value);
  if (quoting === 'single' && !/[\n\r]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  const plain = stringify(value, YAML_11).replace(/\n$/, '');
  const safe = !plain.includes('\n') && !/^["']/.test(plain) && (!inFlow || !/[,[\]{}]/.test(plain));
  try {
    if (safe && parse(plain) === value && parse(plain, { version: '1.1' }) === value) return plain;
  } catch {}
  return JSON.stringify(value);
}

/** A value as one line of flow YAML; `json` quotes keys and strings (valid JSON when the values are). */
export function flowValue(value: unknown, json: boolean, quoting: Quoting = json ? 'double' : 'plain'): string {
  if (Array.isArray(value)) return `[${value.map((v) => flowValue(v, json, quoting)).join(', ')}]`;
  if (value && typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${flowKey(k, json)}: ${flowValue(v, json, quoting)}`);
    return `{${pairs.join(', ')}}`;
  }
  return scalarText(value, quoting, true);
}

export function flowKey(key: string, json: boolean): string {
  return json ? JSON.stringify(key) : scalarText(key, 'plain', true);
}
