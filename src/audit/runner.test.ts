import { describe, expect, it } from 'vitest';
import type { WorkloadRule, WorkloadView } from './types.js';
import { auditText, auditTextsRun } from './testing.js';
import { runAudit } from './runner.js';
import { defaultSettings } from './settings.js';

/** A probe rule that reports what the view builder decided, so view facts are testable through the real runner. */
function spy(): { rule: WorkloadRule; seen: WorkloadView[] } {
  const seen: WorkloadView[] = [];
  const rule: WorkloadRule = {
    meta: { id: 'test-spy', ruleOfUptime: null, severity: 'warning', summary: 'test', messages: { serving: '{{reason}}' }, fixes: {} },
    target: 'workload',
    check(w) {
      seen.push(w);
      return [
        {
          path: [...w.podSpecPath, 'containers', 0, 'readinessProbe'],
          messageId: 'serving',
          data: { reason: w.servingReason },
          container: w.containers[0]?.name ?? '',
        },
      ];
    },
  };
  return { rule, seen };
}

const deployment = (name: string, labels = `app: ${name}`, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 3
  template:
    metadata:
      labels: {${labels}}
    spec:
      containers:
      - image: example/${name}:1
        name: ${name}
        ports:
        - containerPort: 8080
${extra}`;

const service = (name: string, selector: string, ns = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  selector: {${selector}}
  ports: [{port: 80, targetPort: 8080}]
`;

describe('positions', () => {
  it('points at the nearest existing parent for a missing field: the container name line', () => {
    const { rule } = spy();
    const [f] = auditText(deployment('web'), { rules: [rule] });
    // containers[0] has no readinessProbe: the finding sits on its `name:` line, not the `- image:` line
    expect([f!.line, f!.column]).toEqual([13, 9]);
  });

  it('points at the value of an existing scalar', () => {
    const findings = auditText(
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: [{name: a, image: x}]}}}\n',
      { rules: ['deprecated-workload-api'] },
    );
    expect(findings.map((f) => [f.line, f.column])).toEqual([[1, 13]]);
  });

  it('reads kind: List items with their own positions', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: extensions/v1beta1
  kind: Deployment
  metadata: {name: a}
  spec: {template: {spec: {containers: [{name: a, image: x}]}}}
`;
    const findings = auditText(text, { rules: ['deprecated-workload-api'] });
    expect(findings.map((f) => [f.object?.name, f.line, f.column])).toEqual([['a', 4, 15]]);
  });
});

describe('serving', () => {
  it('is serving when a Service in the same namespace selects the pod template', () => {
    const { rule, seen } = spy();
    auditText(`${deployment('web')}---\n${service('web', 'app: web')}`, { rules: [rule] });
    expect(seen[0]!.serving).toBe(true);
    expect(seen[0]!.servingReason).toBe('served through ClusterIP Service web port 80 (its callers are not in the input)');
    expect(seen[0]!.services.map((s) => s.name)).toEqual(['web']);
  });

  it('is not serving when the only Service lives in another namespace', () => {
    const { rule, seen } = spy();
    auditText(`${deployment('web')}---\n${service('web', 'app: web', 'other')}`, { rules: [rule] });
    expect(seen[0]!.serving).toBe(false);
  });

  it('is assumed serving when the input has no Service and the workload declares container ports, and says so', () => {
    const { rule, seen } = spy();
    const [f] = auditText(deployment('web'), { rules: [rule] });
    expect(seen[0]!.serving).toBe(true);
    expect(f!.message).toMatch(/assumed serving/);
  });

  it('never treats Jobs as serving', () => {
    const { rule, seen } = spy();
    auditText(
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: [{name: j, image: x, ports: [{containerPort: 80}]}]}}}\n`,
      { rules: [rule] },
    );
    expect(seen[0]!.serving).toBe(false);
  });

  it('links PDBs by selector and HPAs by scaleTargetRef', () => {
    const { rule, seen } = spy();
    auditText(
      `${deployment('web')}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec: {minAvailable: 1, selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}
`,
      { rules: [rule] },
    );
    expect(seen[0]!.pdbs.map((p) => p.name)).toEqual(['web']);
    expect(seen[0]!.hpas.map((p) => p.name)).toEqual(['web']);
  });

  it('links Ingresses to the workload through the Services they route to (v1 and v1beta1 backends)', () => {
    const { rule, seen } = spy();
    auditText(
      `${deployment('web')}---\n${service('web-svc', 'app: web')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: public}
spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-svc, port: {number: 80}}}}]}}]}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: legacy}
spec: {backend: {serviceName: web-svc, servicePort: 80}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other}
spec: {defaultBackend: {service: {name: elsewhere, port: {number: 80}}}}
`,
      { rules: [rule] },
    );
    expect(seen[0]!.ingresses.map((i) => i.name)).toEqual(['public', 'legacy']);
  });

  it('reads drain-seconds and in-app-drain annotations from the pod template', () => {
    const { rule, seen } = spy();
    auditText(
      deployment('web').replace('    metadata:\n', '    metadata:\n      annotations: {zerodrop.dev/drain-seconds: "12", zerodrop.dev/in-app-drain: "true"}\n'),
      { rules: [rule] },
    );
    expect(seen[0]!.drainSeconds).toBe(12);
    expect(seen[0]!.inAppDrain).toBe(true);
  });

  it('takes in-app-drain: "adaptive" as an in-app drain', () => {
    const { rule, seen } = spy();
    auditText(deployment('web').replace('    metadata:\n', '    metadata:\n      annotations: {zerodrop.dev/in-app-drain: "adaptive"}\n'), { rules: [rule] });
    expect(seen[0]!.inAppDrain).toBe(true);
  });
});

describe('suppression and severities', () => {
  const bad =
    'apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: a\n  annotations: {zerodrop.dev/ignore: "unknown-field, deprecated-workload-api"}\nspec: {template: {spec: {containers: [{name: a, image: x}]}}}\n';
  it('drops findings of rules listed in zerodrop.dev/ignore on the object', () => {
    expect(auditText(bad, { rules: ['deprecated-workload-api'] })).toEqual([]);
    expect(auditText(bad.replace('deprecated-workload-api', 'other'), { rules: ['deprecated-workload-api'] })).toHaveLength(1);
  });

  it('also honours zerodrop.dev/ignore on the pod template', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    metadata:\n      annotations: {zerodrop.dev/ignore: unknown-field}\n    spec: {containers: [{name: a, image: x, readynessProbe: {}}]}\n';
    expect(auditText(text, { rules: ['unknown-field'] })).toEqual([]);
    expect(auditText(text.replace('zerodrop.dev/ignore: unknown-field', 'other: x'), { rules: ['unknown-field'] })).toHaveLength(1);
  });

  it('says which id to write when zerodrop.dev/ignore names a renamed rule, at the annotation', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    metadata:\n      annotations: {zerodrop.dev/ignore: "unknown-field shutdown-timeout-exceeds-grace"}\n    spec: {containers: [{name: a, image: x}]}\n';
    const run = auditTextsRun([{ file: 'a.yaml', text }], { rules: ['unknown-field'] });
    expect(run.errors).toEqual([
      {
        file: 'a.yaml',
        line: 7,
        column: 42,
        message:
          'zerodrop.dev/ignore: rule "shutdown-timeout-exceeds-grace" is now "server-drain-exceeds-grace" (merged into it); write "server-drain-exceeds-grace" instead',
      },
    ]);
    expect(auditTextsRun([{ file: 'a.yaml', text: text.replace(' shutdown-timeout-exceeds-grace', '') }], { rules: ['unknown-field'] }).errors).toEqual([]);
  });

  it('applies severity overrides and turns rules off', () => {
    const text = bad.replace('  annotations: {zerodrop.dev/ignore: "unknown-field, deprecated-workload-api"}\n', '');
    expect(auditText(text, { rules: ['deprecated-workload-api'], severities: { 'deprecated-workload-api': 'info' } })[0]!.severity).toBe('info');
    expect(auditText(text, { rules: ['deprecated-workload-api'], severities: { 'deprecated-workload-api': 'off' } })).toEqual([]);
  });

  it('honours a `# zerodrop ignore=` pragma above a Dockerfile instruction', () => {
    expect(auditText('FROM node:20\n# zerodrop ignore=dockerfile-shell-form\nCMD node a.js\n', { rules: ['dockerfile-shell-form'] })).toEqual([]);
    expect(auditText('FROM node:20\nCMD node a.js\n', { rules: ['dockerfile-shell-form'] })).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('reports malformed YAML with file:line:col and still audits the other inputs', () => {
    const run = auditTextsRun(
      [
        { file: 'broken.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n' },
        {
          file: 'ok.yaml',
          text: 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: [{name: a, image: x}]}}}\n',
        },
      ],
      { rules: ['deprecated-workload-api'] },
    );
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ file: 'broken.yaml', line: 4, column: 1 });
    expect(run.findings.map((f) => f.file)).toEqual(['ok.yaml']);
    expect(run.parseFailed).toBe(true);
  });

  it('refuses an alias bomb quickly instead of expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(',')}]`,
      );
    const started = Date.now();
    const run = auditTextsRun([{ file: 'bomb.yaml', text: `apiVersion: v1\nkind: ConfigMap\n${levels.join('\n')}\n` }]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.errors[0]!.message).toMatch(/aliases/);
  });

  it('survives wrongly typed fields in every registered rule', () => {
    const weird = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, annotations: [x]}\nspec: {strategy: Recreate, template: {metadata: {labels: [a]}, spec: {containers: [null, 3, {name: 1, image: 2, command: "sh -c x", args: {a: 1}, env: {A: 1}, ports: "80", lifecycle: "x", readinessProbe: [1]}]}}}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {template: {spec: {containers: {name: x}, initContainers: "x"}}}\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec: "none"\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec: {selector: [1], ports: {a: 1}}\n',
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: e}\nspec: {selector: "x", minAvailable: [1]}\n',
    ];
    // testing.ts runs with debug on, so a rule that throws fails this test instead of becoming an error entry.
    const run = auditTextsRun(weird.map((text, i) => ({ file: `w${i}.yaml`, text })));
    // Each object is refused at the boundary with positioned errors; no rule ever sees it.
    expect(new Set(run.errors.map((e) => e.file))).toEqual(new Set(weird.map((_, i) => `w${i}.yaml`)));
    for (const e of run.errors) {
      expect(e.code).toMatch(/^manifest-(wrong-type|missing-field)$/);
      expect(e.line).toBeGreaterThanOrEqual(1);
    }
    expect(run.findings).toEqual([]);
  });

  it('skips YAML that is not a Kubernetes object', () => {
    expect(auditText('name: my-chart\nversion: 1.0.0\n')).toEqual([]);
  });

  it('reports an unknown Dockerfile instruction with its position', () => {
    const run = auditTextsRun([{ file: 'Dockerfile', text: 'FROM node:20\nCMDD ["node"]\n' }]);
    expect(run.errors).toEqual([{ file: 'Dockerfile', line: 2, column: 1, message: 'unknown Dockerfile instruction "CMDD"' }]);
  });
});

describe('Dockerfiles and containers', () => {
  it('matches a Dockerfile to containers whose image name is the Dockerfile directory', () => {
    const { rule, seen } = spy();
    auditTextsRun(
      [
        { file: 'web/Dockerfile', text: 'FROM node:20\nCMD ["node","a.js"]\n' },
        { file: 'k8s.yaml', text: deployment('web') },
      ],
      { rules: [rule] },
    );
    expect(seen[0]!.containers[0]!.dockerfiles.map((d) => d.file)).toEqual(['web/Dockerfile']);
  });
});

describe('messages as data', () => {
  const rule = (messageId: string, data: Record<string, string>): WorkloadRule => ({
    meta: {
      id: 'test-messages',
      ruleOfUptime: null,
      severity: 'warning',
      summary: 'test',
      messages: { named: 'workload {{name}} is here' },
      fixes: { rename: 'rename {{name}}' },
    },
    target: 'workload',
    check: () => [{ path: ['metadata', 'name'], messageId, data, fixId: 'rename' }],
  });
  const run = (r: WorkloadRule) =>
    runAudit([{ file: 'a.yaml', text: deployment('web'), origin: 'file', kind: 'yaml' }], { settings: defaultSettings(), rules: [r] });

  it('renders the message and fix templates and keeps the messageId and data on the finding', () => {
    const { findings, errors } = run(rule('named', { name: 'web' }));
    expect(errors).toEqual([]);
    expect(findings.map(({ messageId, message, fix, data }) => ({ messageId, message, fix, data }))).toEqual([
      { messageId: 'named', message: 'workload web is here', fix: 'rename web', data: { name: 'web' } },
    ]);
  });

  it('turns an undeclared messageId into a rule failure, not a finding with a made-up text', () => {
    const { findings, errors } = run(rule('unnamed', { name: 'web' }));
    expect(findings).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/rule test-messages failed .*messageId "unnamed".*does not declare/)]);
  });

  it('turns a missing placeholder value into a rule failure', () => {
    const { errors } = run(rule('named', {}));
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/rule test-messages failed .*needs data\.name/)]);
  });
});

describe('odd list items no shape check stops', () => {
  // Found by the fuzz campaign (`npm run bench -- fuzz`): an Argo Rollout is checked for its
  // metadata only, so its containers reach the rules as written; no workload's shape check
  // reads a ConfigMap volume's items.
  const rollout = (containers: string, service: boolean) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: shop}}
  strategy: ${service ? '{blueGreen: {activeService: shop}}' : '{canary: {steps: [{setWeight: 25}]}}'}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers: ${containers}
${
  service
    ? `---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
`
    : ''
}`;
  const coredns = `apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        health
        forward . /etc/resolv.conf
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  replicas: 2
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.11.1
        args: ["-conf", "/etc/coredns/Corefile"]
        ports: [{containerPort: 53, name: dns, protocol: UDP}]
        volumeMounts: [{name: config-volume, mountPath: /etc/coredns}]
      volumes:
      - name: config-volume
        configMap: {name: coredns, items: [null, {key: Corefile, path: Corefile}]}
`;
  it.each([
    ['an empty container item in a Rollout serving without a Service', rollout('[{name: shop, image: example/shop:1}, null]', false)],
    ['a Rollout container without a name (no merge-key patch can address it)', rollout('[{image: example/shop:1, ports: [{containerPort: 8080}]}]', true)],
    ['an empty item in a ConfigMap volume', coredns],
  ])('%s: no rule fails', (_name, text) => {
    // auditTextsRun runs the rules in debug mode: a rule that throws fails the test.
    const run = auditTextsRun([{ file: 'odd.yaml', text }]);
    expect(run.errors).toEqual([]);
  });
  it('still reads the file the other items project', () => {
    const run = auditTextsRun([{ file: 'odd.yaml', text: coredns }]);
    expect(run.findings.map((f) => f.rule)).toContain('coredns-lameduck-missing');
  });
});
