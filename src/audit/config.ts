/**
 * `.zerodrop.yaml` (or --config FILE): the audit's flags as settings plus per-rule severities.
 * Every mistake is a usage error naming file:line:col, because a config typo that is silently
 * ignored is exactly the failure mode this tool exists to catch.
 */
import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Node, type Pair } from 'yaml';
import { usageError, ZerodropError } from '../errors.js';
import type { Severity, SeveritySetting } from './types.js';
import { PATH_BUDGETS, type PathKind } from '../k8s/pathBudgets.js';
import type { PathOverrides } from '../k8s/trafficPaths.js';
import { didYouMean } from './didYouMean.js';
import { renamedRuleMessage } from './renamedRules.js';

export const CONFIG_FILE_NAMES = ['.zerodrop.yaml', '.zerodrop.yml'];
const MAX_CONFIG_BYTES = 1024 * 1024;

export type FailOn = 'error' | 'warning' | 'info' | 'never';
export type OutputFormat = 'text' | 'json' | 'sarif' | 'github' | 'codequality' | 'junit';

export interface AuditConfig {
  file?: string;
  kubernetesVersion?: string;
  propagationSeconds?: number;
  drainSeconds?: number;
  failOn?: FailOn;
  /** Findings below this severity are left out of the report and the exit code. */
  minSeverity?: Severity;
  format?: OutputFormat;
  /** Base URL of the rule pages linked from SARIF (helpUri). */
  docsBaseUrl?: string;
  rules: Record<string, SeveritySetting>;
  /** `paths:`: a removal time per path kind, overriding the table's default and what the objects say. */
  paths?: PathOverrides;
}

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];
export const MIN_SEVERITY: readonly Severity[] = ['info', 'warning', 'error'];
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github', 'codequality', 'junit'];

/**
 * The config in effect: --config FILE, else `.zerodrop.yaml` in the working directory, else none.
 * A name that exists only as a broken symbolic link still counts (lstat), so loading it reports
 * the dangling link instead of the audit silently running without the config.
 */
export function findConfigFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) return explicit;
  for (const name of CONFIG_FILE_NAMES) {
    const p = join(cwd, name);
    try {
      lstatSync(p);
      return p;
    } catch {}
  }
  return undefined;
}

export function loadConfig(file: string, knownRuleIds: ReadonlySet<string>): AuditConfig {
  let text: string;
  try {
    // A config is a few lines: a device or a huge file named as one is refused, not read.
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES)
      throw usageError('input-unreadable', `cannot read config file: ${st.isFile() ? 'larger than 1 MiB' : 'not a regular file'}`, { file });
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ZerodropError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    let why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    try {
      if (code === 'ENOENT' && lstatSync(file).isSymbolicLink()) why = `a broken symbolic link (to ${readlinkSync(file)})`;
    } catch {}
    throw usageError('input-unreadable', `cannot read config file: ${why}`, { file });
  }
  return parseConfig(text, file, knownRuleIds);
}

export function parseConfig(text: string, file: string, knownRuleIds: ReadonlySet<string>): AuditConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (node: Node | Pair | null | undefined) => {
    const range = node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node | null)?.range : undefined;
    const p = lineCounter.linePos(range?.[0] ?? 0);
    return { file, line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lineCounter.linePos(e.pos[0]);
    throw usageError('yaml-invalid', `invalid YAML: ${e.message.split('\n')[0]}`, { file, line: p.line, column: p.col });
  }
  const config: AuditConfig = { file, rules: {} };
  if (doc.contents === null) return config;
  if (!isMap(doc.contents)) throw usageError('config-invalid', 'the config must be a mapping of settings', at(doc.contents));

  const numberSetting = (pair: Pair, name: string): number => {
    const v = pair.value;
    if (!isScalar(v) || typeof v.value !== 'number' || !Number.isFinite(v.value) || v.value < 0)
      throw usageError('config-invalid', `${name} must be a number of seconds ≥ 0`, at((v as Node) ?? pair));
    return v.value;
  };
  const oneOf = <T extends string>(pair: Pair, name: string, allowed: readonly T[]): T => {
    const v = pair.value;
    const s = isScalar(v) ? String(v.value) : undefined;
    if (s === undefined || !(allowed as readonly string[]).includes(s))
      throw usageError('config-invalid', `${name} must be one of ${allowed.join(', ')}`, at((v as Node) ?? pair));
    return s as T;
  };

  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    switch (key) {
      case 'kubernetesVersion':
      case 'kubernetes-version': {
        const v = pair.value;
        // Unquoted 1.30 is the number 1.3 to YAML; the source text keeps what the user wrote.
        const written = isScalar(v) ? (typeof v.value === 'number' && typeof v.source === 'string' ? v.source : String(v.value)) : '';
        if (!/^v?\d+\.\d+(\.\d+)?$/.test(written)) throw usageError('config-invalid', 'kubernetesVersion must look like "1.33"', at((v as Node) ?? pair));
        config.kubernetesVersion = written;
        break;
      }
      case 'propagationSeconds':
      case 'propagation-seconds':
        config.propagationSeconds = numberSetting(pair, key);
        break;
      case 'drainSeconds':
      case 'drain-seconds':
        config.drainSeconds = numberSetting(pair, key);
        break;
      case 'failOn':
      case 'fail-on':
        config.failOn = oneOf(pair, key, FAIL_ON);
        break;
      case 'minSeverity':
      case 'min-severity':
        config.minSeverity = oneOf(pair, key, MIN_SEVERITY);
        break;
      case 'format':
        config.format = oneOf(pair, key, FORMATS);
        break;
      case 'docsBaseUrl':
      case 'docs-base-url': {
        const v = pair.value;
        const url = isScalar(v) ? String(v.value) : '';
        if (!isHttpUrl(url)) throw usageError('config-invalid', `${key} must be an http(s) URL`, at((v as Node) ?? pair));
        config.docsBaseUrl = url;
        break;
      }
      case 'rules': {
        const v = pair.value;
        if (v === null) break;
        if (!isMap(v)) throw usageError('config-invalid', 'rules must map rule ids to off, info, warning or error', at(v as Node));
        for (const rp of v.items) {
          const id = isScalar(rp.key) ? String(rp.key.value) : '';
          if (!knownRuleIds.has(id)) {
            const renamed = renamedRuleMessage(id);
            if (renamed) throw usageError('unknown-rule', renamed, at(rp.key as Node));
            const hint = closest(id, [...knownRuleIds]);
            throw usageError(
              'unknown-rule',
              `unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}; 'zerodrop rules' lists them`,
              at(rp.key as Node),
            );
          }
          // YAML 1.2 reads `off` as a string; YAML 1.1 users may write `false` for off.
          const raw = isScalar(rp.value) ? (rp.value.value === false ? 'off' : String(rp.value.value)) : '';
          if (!(SEVERITY_SETTINGS as readonly string[]).includes(raw))
            throw usageError('config-invalid', `rule ${id} must be off, info, warning or error`, at((rp.value as Node) ?? rp));
          config.rules[id] = raw as SeveritySetting;
        }
        break;
      }
      case 'paths': {
        const v = pair.value;
        if (v === null) break;
        const kinds = Object.keys(PATH_BUDGETS);
        const shape = 'paths must map path kinds to settings, e.g. "aws-nlb-ip: {removalSeconds: 150}"';
        if (!isMap(v)) throw usageError('config-invalid', shape, at(v as Node));
        const paths: PathOverrides = {};
        for (const pp of v.items) {
          const kind = isScalar(pp.key) ? String(pp.key.value) : '';
          if (!kinds.includes(kind)) {
            const hint = closest(kind, kinds);
            throw usageError(
              'config-invalid',
              `unknown path kind "${kind}"${hint ? ` (did you mean "${hint}"?)` : ''}; the kinds are ${kinds.join(', ')} (docs/reference/traffic-paths.md#path-budgets)`,
              at(pp.key as Node),
            );
          }
          const settings = pp.value;
          if (!isMap(settings) || settings.items.length === 0)
            throw usageError('config-invalid', `paths.${kind} must be a mapping, e.g. "removalSeconds: 150"`, at((settings as Node) ?? pp));
          for (const sp of settings.items) {
            const name = isScalar(sp.key) ? String(sp.key.value) : '';
            if (name !== 'removalSeconds') {
              const hint = closest(name, ['removalSeconds']);
              throw usageError(
                'config-unknown-setting',
                `unknown setting "paths.${kind}.${name}"${hint ? ` (did you mean "removalSeconds"?)` : ''}`,
                at(sp.key as Node),
              );
            }
            const line = at(sp.key as Node).line;
            paths[kind as PathKind] = {
              removalSeconds: numberSetting(sp, `paths.${kind}.removalSeconds`),
              setBy: `${file}:${line} paths.${kind}.removalSeconds`,
            };
          }
        }
        config.paths = paths;
        break;
      }
      default: {
        const hint = closest(key, [
          'kubernetesVersion',
          'propagationSeconds',
          'drainSeconds',
          'failOn',
          'minSeverity',
          'format',
          'docsBaseUrl',
          'rules',
          'paths',
        ]);
        throw usageError('config-unknown-setting', `unknown setting "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, at(pair.key as Node));
      }
    }
  }
  return config;
}

/** An absolute http or https URL: where rule pages can be linked from code scanning. */
export function isHttpUrl(s: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** Rule ids and setting names are long: allow a third of the word in edits. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  return didYouMean(word, candidates, (w) => Math.max(2, Math.floor(w.length / 3)));
}
