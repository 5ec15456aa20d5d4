/**
 * SARIF 2.1.0 for GitHub code scanning: one run, every rule with help text, a helpUri to its page
 * and its message templates as `messageStrings`; every result with a physical location (uri
 * relative to the repository root, line and column) and a message that names its template
 * (`message.id`, `message.arguments`) next to the rendered `message.text`, which consumers show
 * first. Input errors become tool execution notifications.
 */
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditResult, MessageData, RuleMeta, Severity } from '../types.js';
import { REPOSITORY_URL, readRuleDocs, ruleDocsUrl } from '../docs.js';
import { sarifMessageString } from '../messages.js';
import { version } from '../../version.js';
import { objectLabel, reportLocation } from './location.js';
import { fingerprints } from './fingerprint.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function artifactUri(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('\\').join('/').replace(/^\.\//, ''), uriBaseId: '%SRCROOT%' };
}

export interface SarifOptions {
  /** Base URL of the rule pages (helpUri = `<base>/<rule>.md`); default docs/rules at this version's tag. */
  docsBaseUrl?: string;
  /** The directory relative URIs are relative to (%SRCROOT%); default the working directory. */
  srcRoot?: string;
}

export function toSarif(result: AuditResult, rules: readonly RuleMeta[], options: SarifOptions = {}): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const docsUrl = (id: string) => ruleDocsUrl(id, options.docsBaseUrl);
  const prints = fingerprints(result.findings);
  const srcRoot = pathToFileURL(join(options.srcRoot ?? process.cwd(), '/')).href;
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
            informationUri: REPOSITORY_URL,
            rules: rules.map((r) => {
              const page = readRuleDocs(r.id);
              return {
                id: r.id,
                name: r.id.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase()),
                shortDescription: { text: r.summary },
                fullDescription: { text: r.summary },
                help: { text: page ?? `${r.summary}\nSee ${docsUrl(r.id)}`, ...(page ? { markdown: page } : {}) },
                helpUri: docsUrl(r.id),
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
        results: result.findings.map((f, i) => {
          // A finding that points into a rendered stream is placed where a reviewer can act on it; its message says where it really is.
          const at = reportLocation(f);
          const renderedNote = at.note;
          const label = objectLabel(f);
          const where = label ? ` [${label}]` : '';
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
                  artifactLocation: artifactUri(at.file ?? 'stdin'),
                  region: at.column === undefined ? { startLine: at.line } : { startLine: at.line, startColumn: at.column },
                },
              },
            ],
            // Stable across runs, line moves and message wording (format/fingerprint.ts), so code scanning keeps an alert's history.
            partialFingerprints: { 'zerodrop/v2': prints[i] },
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
        // Relative URIs resolve against the directory the audit ran in: the checkout root in CI.
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot, description: { text: 'The directory zerodrop audit ran in (the repository root in CI)' } } },
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

export function formatSarif(result: AuditResult, rules: readonly RuleMeta[], options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, rules, options), null, 2)}\n`;
}
