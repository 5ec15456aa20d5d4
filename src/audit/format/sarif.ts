/**
 * SARIF 2.1.0 for GitHub code scanning: one run, every rule with help text, a helpUri to its page
 * and its message templates as `messageStrings`; every result with a physical location (uri
 * relative to the repository root, line and column) and a message that names its template
 * (`message.id`, `message.arguments`) next to the rendered `message.text`, which consumers show
 * first. Input errors become tool execution notifications.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditResult, MessageData, RuleMeta, Severity } from '../types.js';
import { readRuleDocs, ruleDocsUrl } from '../docs.js';
import { sarifMessageString } from '../messages.js';
import { version } from '../../version.js';
import { objectRef } from './objectRef.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function fingerprint(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

function artifactUri(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('\\').join('/').replace(/^\.\//, ''), uriBaseId: '%SRCROOT%' };
}

/** Rendered streams have no file of their own: point at the kustomization (or `stdin`) and keep the stream position in the message. */
function locationFile(file: string, rendered: boolean): string {
  if (!rendered || file === '-') return file === '-' ? 'stdin' : file;
  return join(file, 'kustomization.yaml');
}

export function toSarif(result: AuditResult, rules: readonly RuleMeta[]): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const templates = new Map(rules.map((r) => [r.id, new Map(Object.entries(r.messages).map(([id, t]) => [id, sarifMessageString(t)]))]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'zerodrop',
            version,
            semanticVersion: version,
            informationUri: ruleDocsUrl('README'),
            rules: rules.map((r) => {
              const page = readRuleDocs(r.id);
              return {
                id: r.id,
                name: r.id.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase()),
                shortDescription: { text: r.summary },
                fullDescription: { text: r.summary },
                help: { text: page ?? `${r.summary}\nSee ${ruleDocsUrl(r.id)}`, ...(page ? { markdown: page } : {}) },
                helpUri: ruleDocsUrl(r.id),
                // Complete sentences, as the SARIF validator's guidance asks (SARIF2001); our templates are clauses.
                messageStrings: Object.fromEntries(
                  [...(templates.get(r.id) ?? [])].map(([id, t]) => [id, { text: t.text.endsWith('.') ? t.text : `${t.text}.` }]),
                ),
                defaultConfiguration: { level: LEVEL[r.severity] },
                properties: {
                  tags: ['kubernetes', 'zero-downtime', ...(r.ruleOfUptime ? [`rule-of-uptime-${r.ruleOfUptime}`] : [])],
                  ruleOfUptime: r.ruleOfUptime,
                },
              };
            }),
          },
        },
        results: result.findings.map((f) => {
          const rendered = f.rendered === true;
          const renderedNote = rendered ? ` (at ${f.line}:${f.column} of the ${f.file === '-' ? 'stdin stream' : 'kustomize output'})` : '';
          const where = f.object ? ` [${objectRef(f.object)}${f.container ? `, container ${f.container}` : ''}]` : '';
          const res: Record<string, unknown> = {
            ruleId: f.rule,
            level: LEVEL[f.severity],
            message: {
              text: `${f.message}${where}${renderedNote}${f.fix ? `\nFix: ${f.fix}` : ''}`,
              ...messageReference(templates.get(f.rule)?.get(f.messageId), f.messageId, f.data),
            },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: artifactUri(locationFile(f.file, rendered)),
                  region: rendered ? { startLine: 1 } : { startLine: f.line, startColumn: f.column },
                },
              },
            ],
            // Stable across line moves, so code scanning keeps an alert's history when lines shift.
            partialFingerprints: {
              'zerodrop/v1': fingerprint([
                f.rule,
                f.file,
                // Objects without a namespace keep the fingerprint they had when shown as default/.
                f.object ? `${f.object.kind}/${f.object.namespace ?? 'default'}/${f.object.name}` : '',
                f.container ?? '',
                f.message,
              ]),
            },
          };
          const idx = ruleIndex.get(f.rule);
          if (idx !== undefined) res.ruleIndex = idx;
          return res;
        }),
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: artifactUri(e.file === '-' ? 'stdin' : e.file),
                    ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}),
                  },
                },
              ],
            })),
          },
        ],
        // Columns come from JavaScript string offsets (yaml's LineCounter, dockerfile-ast ranges).
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

/** `message.id` and, when its template has placeholders, the `arguments` the SARIF spec then requires. */
function messageReference(
  template: ReturnType<typeof sarifMessageString> | undefined,
  id: string,
  data: MessageData | undefined,
): { id?: string; arguments?: string[] } {
  if (!template) return {};
  const args = template.arguments(data);
  return args.length > 0 ? { id, arguments: args } : { id };
}

export function formatSarif(result: AuditResult, rules: readonly RuleMeta[]): string {
  return `${JSON.stringify(toSarif(result, rules), null, 2)}\n`;
}
