import { describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { auditBadFixtures } from '../rules/fixtures/badFixtures.js';
import { toSarif } from './sarif.js';

interface SarifMessage {
  text: string;
  id?: string;
  arguments?: string[];
}

/** How a SARIF consumer fills a message string (the SARIF SDK uses .NET's String.Format). */
const fill = (text: string, args: readonly string[]) =>
  text.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : (args[Number(i)] ?? `<missing ${i}>`)));

// The official validator checks these logs too (test/audit/sarif-validator.test.ts).
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
