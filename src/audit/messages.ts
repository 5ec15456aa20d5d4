/**
 * Rule messages are data: each rule declares templates by id (`meta.messages`, `meta.fixes`) with
 * `{{name}}` placeholders, and reports an id plus the values. The runner renders the text here, so
 * JSON and SARIF consumers can match the stable id while people read the sentence.
 */
import type { MessageData } from './types.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

/** Placeholder names of a template, in order of first appearance. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The template with every `{{name}}` replaced by `data.name`; a placeholder without a value is a bug in the rule, so it throws. */
export function renderTemplate(template: string, data: MessageData | undefined): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = data?.[name];
    if (value === undefined) throw new Error(`message template needs data.${name}: "${template}"`);
    return String(value);
  });
}

/**
 * The template as a SARIF message string: placeholders become `{0}`, `{1}` … in order of first
 * appearance, and literal braces are doubled, as "Messages with placeholders" in the SARIF 2.1.0
 * specification requires (https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html#_Toc34317466).
 * `arguments` gives one finding's values in that order.
 */
export function sarifMessageString(template: string): { text: string; arguments: (data: MessageData | undefined) => string[] } {
  const names = placeholdersOf(template);
  // split() with a capturing group alternates literal text and placeholder names.
  const parts = template.split(new RegExp(PLACEHOLDER.source));
  const text = parts.map((part, i) => (i % 2 === 0 ? escapeBraces(part) : `{${names.indexOf(part)}}`)).join('');
  return { text, arguments: (data) => names.map((n) => String(data?.[n] ?? '')) };
}

function escapeBraces(s: string): string {
  return s.replace(/[{}]/g, (b) => b + b);
}
