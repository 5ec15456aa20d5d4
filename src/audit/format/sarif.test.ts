import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { auditBadFixtures } from '../rules/fixtures/badFixtures.js';
import { formatSarif, toSarif } from './sarif.js';

interface SarifMessage {
  text: string;
  id?: string;
  arguments?: string[];
}

/** How a SARIF consumer fills a message string (the SARIF SDK uses .NET's String.Format). */
const fill = (text: string, args: readonly string[]) =>
  text.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : (args[Number(i)] ?? `<missing ${i}>`)));

describe('SARIF messages', () => {
  const run = auditBadFixtures();
  const sarif = toSarif(run, ruleMetas()) as {
    runs: Array<{
      tool: { driver: { rules: Array<{ id: string; messageStrings: Record<string, { text: string }> }> } };
      results: Array<{ ruleId: string; ruleIndex: number; message: SarifMessage }>;
    }>;
  };
  const [{ tool, results }] = sarif.runs as [(typeof sarif.runs)[number]];

  it('list every declared message of every rule as messageStrings', () => {
    for (const meta of ruleMetas()) {
      const descriptor = tool.driver.rules.find((r) => r.id === meta.id)!;
      expect(Object.keys(descriptor.messageStrings)).toEqual(Object.keys(meta.messages));
    }
  });

  it("name each result's message by id, with the arguments that fill it to the rendered text", () => {
    expect(results.length).toBe(run.findings.length);
    results.forEach((res, i) => {
      const f = run.findings[i]!;
      expect(res.message.id).toBe(f.messageId);
      const template = tool.driver.rules[res.ruleIndex]!.messageStrings[res.message.id!]!;
      expect(fill(template.text, res.message.arguments ?? [])).toBe(f.message.endsWith('.') ? f.message : `${f.message}.`);
      expect(res.message.text.startsWith(f.message)).toBe(true);
    });
  });
});

describe('SARIF output, checked by the official validator (@microsoft/sarif-multitool)', () => {
  const bin = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'sarif-multitool');
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-sarif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no error or warning, message strings and arguments included', () => {
    expect(existsSync(bin), `${bin}: npm install brings the validator`).toBe(true);
    const log = join(dir, 'audit.sarif');
    const out = join(dir, 'validation.sarif');
    writeFileSync(log, formatSarif(auditBadFixtures(), ruleMetas()));
    const r = spawnSync(bin, ['validate', log, '--output', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const validation = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: Array<{ results?: Array<{ ruleId: string; level?: string; message: { arguments?: string[] } }> }>;
    };
    const problems = (validation.runs[0]!.results ?? []).filter((x) => x.level !== 'note' && x.level !== 'none');
    expect(problems.map((p) => `${p.ruleId}: ${(p.message.arguments ?? []).join(' | ')}`)).toEqual([]);
  });
});
