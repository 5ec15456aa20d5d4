/**
 * Audit throughput: 10,000 Deployment+Service pairs in one multi-document stream, the whole audit
 * (parse with positions, views with cross-object context, every registered rule, positions of
 * findings, JSON report) against `yaml`'s own parsing of the same stream (parseAllDocuments +
 * toJS per document), measured alternately in this process. Goal (issue 2): ratio ≤ 2.
 */
import { parseAllDocuments } from 'yaml';
import { runAudit } from '../dist/audit/runner.js';
import { allRules, ruleMetas } from '../dist/audit/rules/index.js';
import { defaultSettings } from '../dist/audit/settings.js';
import { formatJson } from '../dist/audit/format/json.js';

const PAIRS = 10_000;
const ROUNDS = 3;

/** A realistic fleet: probes everywhere, and every third app without a preStop delay. */
export function fleetStream(pairs: number): string {
  const docs: string[] = [];
  for (let i = 0; i < pairs; i++) {
    const name = `app-${i}`;
    const preStop =
      i % 3 === 0
        ? ''
        : `
        lifecycle:
          preStop:
            sleep:
              seconds: 10`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${i % 20}
  labels:
    app: ${name}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: ${name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: ${name}
        tier: web
    spec:
      terminationGracePeriodSeconds: 45
      containers:
      - name: ${name}
        image: registry.example.com/${name}:1.${i % 7}.0
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready
            port: http
          periodSeconds: 2
        livenessProbe:
          httpGet:
            path: /live
            port: http
          periodSeconds: 10
          failureThreshold: 6${preStop}
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${i % 20}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: http
`);
  }
  return docs.join('---\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const text = fleetStream(PAIRS);
  const settings = defaultSettings();
  const baseline: number[] = [];
  const audit: number[] = [];
  let findings = 0;
  let outputBytes = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    let t = performance.now();
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('empty stream');
    for (const d of docs) d.toJS();
    const b = performance.now() - t;

    t = performance.now();
    const result = runAudit([{ file: 'fleet.yaml', text, kind: 'yaml', origin: 'file' }], { settings, rules: allRules });
    const out = formatJson(result);
    const a = performance.now() - t;
    // Round 0 warms up the JIT for both sides.
    if (round === 0) continue;
    baseline.push(b);
    audit.push(a);
    findings = result.findings.length;
    outputBytes = out.length;
    if (result.errors.length > 0) throw new Error(`unexpected input errors: ${result.errors[0]!.message}`);
  }
  const mb = (Buffer.byteLength(text) / 1048576).toFixed(1);
  const bm = median(baseline);
  const am = median(audit);
  process.stdout.write(
    `stream: ${PAIRS} Deployment+Service pairs, ${mb} MiB; ${ruleMetas().length} rules; ${findings} findings; JSON report ${(outputBytes / 1048576).toFixed(1)} MiB\n`,
  );
  process.stdout.write(`| what | median of ${ROUNDS} (ms) |\n|---|---|\n`);
  process.stdout.write(`| yaml parseAllDocuments + toJS (baseline) | ${bm.toFixed(0)} |\n`);
  process.stdout.write(`| zerodrop audit (parse, views, rules, positions, JSON) | ${am.toFixed(0)} |\n`);
  process.stdout.write(`\nratio audit / yaml parse: ${(am / bm).toFixed(2)} (goal ≤ 2.00)\n`);
}
