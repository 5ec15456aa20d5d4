import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderTemplate, sarifMessageString } from './messages.js';

describe('message templates', () => {
  it('fill every {{placeholder}} from data, numbers included', () => {
    expect(renderTemplate('preStop of "{{container}}" sleeps {{seconds}} s', { container: 'app', seconds: 3 })).toBe('preStop of "app" sleeps 3 s');
  });

  it('keep literal braces that are not placeholders', () => {
    expect(renderTemplate('selector matchLabels {{matchLabels}}; {a: b}', { matchLabels: '{app: web}' })).toBe('selector matchLabels {app: web}; {a: b}');
  });

  it('throw when a placeholder has no value, so a rule cannot print "undefined"', () => {
    expect(() => renderTemplate('port {{port}}', {})).toThrow(/needs data\.port/);
    expect(() => renderTemplate('port {{port}}', { port: undefined })).toThrow(/needs data\.port/);
  });

  it('list placeholders once each, in order of first appearance', () => {
    expect(placeholdersOf('{{b}} then {{a}} then {{b}}')).toEqual(['b', 'a']);
  });
});

describe('SARIF message strings', () => {
  // .NET's String.Format is what the SARIF SDK uses to fill a message string: {0} placeholders, {{ }} for a literal brace.
  const format = (text: string, args: string[]) =>
    text.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : (args[Number(i)] ?? '')));

  it('number the placeholders in order of first appearance and double literal braces', () => {
    const s = sarifMessageString('{{b}} {x} {{a}} {{b}}');
    expect(s.text).toBe('{0} {{x}} {1} {0}');
    expect(s.arguments({ a: 'A', b: 2 })).toEqual(['2', 'A']);
  });

  it('render to the same text as our templates when filled with the arguments', () => {
    const template = 'add a PodDisruptionBudget with selector matchLabels {{matchLabels}} for {{replicas}} replicas';
    const data = { matchLabels: '{app: web}', replicas: 3 };
    const s = sarifMessageString(template);
    expect(format(s.text, s.arguments(data))).toBe(renderTemplate(template, data));
  });
});
