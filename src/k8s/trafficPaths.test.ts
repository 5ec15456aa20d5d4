import { describe, expect, it } from 'vitest';
import { parseConfig } from '../audit/config.js';
import { defaultSettings } from '../audit/settings.js';
import type { AuditSettings, WorkloadView } from '../audit/types.js';
import { buildViews, slowestPath } from '../audit/views.js';
import { parseYamlSource } from '../audit/yamlSource.js';
import { ZerodropError } from '../errors.js';

/** YAML text through the real loader and view builder; the views of the workloads named `web`. */
function load(text: string, settings: Partial<AuditSettings> = {}) {
  const { parsed, errors } = parseYamlSource({ file: 'paths.yaml', text, kind: 'yaml', origin: 'file' });
  expect(errors).toEqual([]);
  const built = buildViews(
    parsed.objects.map((o) => o.object),
    [],
    defaultSettings(settings),
  );
  return { ...built, web: built.workloads.find((w) => w.name === 'web')! };
}

const summary = (w: WorkloadView) => w.paths.map((p) => ({ kind: p.kind, removalSeconds: p.removalSeconds, removalFrom: p.removalFrom }));

const deployment = (ns = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web${ns ? `\n  namespace: ${ns}` : ''}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: example/web:1.0
          ports: [{name: http, containerPort: 8080}]
`;

const service = (fields: string, annotations = '') => `
---
apiVersion: v1
kind: Service
metadata:
  name: web${annotations ? `\n  annotations:\n${annotations}` : ''}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
${fields}
`;

const ingress = (spec: string, annotations = '') => `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web${annotations ? `\n  annotations:\n${annotations}` : ''}
spec:
${spec}
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
`;

describe('traffic paths', () => {
  it('a ClusterIP Service is one kube-proxy path at --propagation-seconds', () => {
    const { web } = load(deployment() + service(''), { propagationSeconds: 7 });
    expect(summary(web)).toEqual([{ kind: 'kube-proxy', removalSeconds: 7, removalFrom: 'default' }]);
    expect(web.paths[0]!.setBy).toBe('--propagation-seconds');
    expect(web.paths[0]!.description).toBe('kube-proxy through Service web port 80 (http)');
  });

  it('an AWS NLB with IP targets (LBC "external" + nlb-target-type ip) takes 120 s and needs the readiness gate', () => {
    const { web } = load(
      deployment() +
        service(
          '  type: LoadBalancer',
          '    service.beta.kubernetes.io/aws-load-balancer-type: external\n    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip',
        ),
    );
    expect(summary(web)).toEqual([{ kind: 'aws-nlb-ip', removalSeconds: 120, removalFrom: 'default' }]);
    expect(web.paths[0]).toMatchObject({
      readinessGate: 'target-health.elbv2.k8s.aws',
      pinsConnections: true,
      description: 'AWS NLB (IP targets) through Service web port 80 (http)',
    });
  });

  it('the deprecated nlb-ip type is IP targets too; "external" without a target type is instance, said as an assumption', () => {
    const nlbIp = load(deployment() + service('  type: LoadBalancer', '    service.beta.kubernetes.io/aws-load-balancer-type: nlb-ip')).web;
    expect(summary(nlbIp)[0]!.kind).toBe('aws-nlb-ip');
    const external = load(deployment() + service('  type: LoadBalancer', '    service.beta.kubernetes.io/aws-load-balancer-type: external')).web;
    expect(summary(external)).toEqual([{ kind: 'cloud-lb-nodes', removalSeconds: 5, removalFrom: 'default' }]);
    expect(external.paths[0]!.assumptions.join(' ')).toMatch(/--default-target-type/);
  });

  it('externalTrafficPolicy: Local behind an NLB is removed by the node health check: interval × threshold from the annotations', () => {
    const { web } = load(
      deployment() +
        service(
          '  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32000',
          '    service.beta.kubernetes.io/aws-load-balancer-type: external\n    service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "30"\n    service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold: "2"',
        ),
    );
    expect(summary(web)).toEqual([{ kind: 'node-local', removalSeconds: 60, removalFrom: 'computed' }]);
    expect(web.paths[0]!.setBy).toMatch(/every 30 s × 2 failures/);
  });

  it('Azure health-probe annotations set the node-local removal time; one written field keeps the other default', () => {
    const { web } = load(
      deployment() +
        service('  type: LoadBalancer\n  externalTrafficPolicy: Local', '    service.beta.kubernetes.io/azure-load-balancer-health-probe-interval: "10"'),
    );
    expect(summary(web)).toEqual([{ kind: 'node-local', removalSeconds: 20, removalFrom: 'computed' }]);
  });

  it('an unknown cloud with externalTrafficPolicy: Local keeps the table default and says what it assumed', () => {
    const { web } = load(deployment() + service('  type: LoadBalancer\n  externalTrafficPolicy: Local'));
    expect(summary(web)).toEqual([{ kind: 'node-local', removalSeconds: 30, removalFrom: 'default' }]);
    expect(web.paths[0]!.assumptions[0]).toMatch(/zerodrop.dev\/removal-seconds/);
  });

  it('an ALB Ingress: IP targets from the annotation (Service over Ingress), instance by default', () => {
    const ip = load(deployment() + service('') + ingress('  ingressClassName: alb', '    alb.ingress.kubernetes.io/target-type: ip')).web;
    expect(summary(ip)).toEqual([{ kind: 'aws-alb-ip', removalSeconds: 30, removalFrom: 'default' }]);
    expect(ip.paths[0]!.description).toBe('AWS ALB (IP targets) through Ingress web → Service web port 80 (http)');
    expect(ip.paths[0]!.assumptions.join(' ')).toMatch(/IngressClass alb is not in the input/);
    const byService = load(
      deployment() +
        service('  type: NodePort', '    alb.ingress.kubernetes.io/target-type: instance') +
        ingress('  ingressClassName: alb', '    alb.ingress.kubernetes.io/target-type: ip'),
    ).web;
    expect(summary(byService).map((p) => p.kind)).toEqual(['cloud-lb-nodes', 'kube-proxy']);
  });

  it('an IngressClass in the input decides the controller, and its IngressClassParams the ALB target type', () => {
    const text =
      deployment() +
      service('') +
      ingress('  ingressClassName: internal') +
      `
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: internal}
spec:
  controller: ingress.k8s.aws/alb
  parameters: {apiGroup: elbv2.k8s.aws, kind: IngressClassParams, name: internal-params}
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata: {name: internal-params}
spec: {targetType: ip}
`;
    const { web } = load(text);
    expect(summary(web)).toEqual([{ kind: 'aws-alb-ip', removalSeconds: 30, removalFrom: 'default' }]);
    expect(web.paths[0]!.assumptions).toEqual([]);
  });

  it('the kubernetes.io/ingress.class annotation and the default IngressClass name the controller too', () => {
    const nginx = load(deployment() + service('') + ingress('', '    kubernetes.io/ingress.class: nginx')).web;
    expect(summary(nginx)[0]!.kind).toBe('ingress-nginx');
    const byDefault = load(
      deployment() +
        service('') +
        ingress('') +
        `
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: traefik.io/ingress-controller}
`,
    ).web;
    expect(byDefault.paths[0]).toMatchObject({
      kind: 'ingress-controller',
      description: 'Traefik through Ingress web → Service web port 80 (http)',
      assumptions: [],
    });
    const unknown = load(deployment() + service('') + ingress('')).web;
    expect(unknown.paths[0]!.assumptions[0]).toMatch(/names no class/);
  });

  it('a GKE Ingress with NEGs reads its BackendConfig health check: interval × threshold', () => {
    const text =
      deployment('shop') +
      service('', `    cloud.google.com/neg: '{"ingress": true}'\n    cloud.google.com/backend-config: '{"ports": {"http": "web-bc"}}'`).replace(
        'name: web\n',
        'name: web\n  namespace: shop\n',
      ) +
      ingress('', '    kubernetes.io/ingress.class: gce').replace('name: web\n', 'name: web\n  namespace: shop\n') +
      `
---
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata: {name: web-bc, namespace: shop}
spec:
  healthCheck: {checkIntervalSec: 15, unhealthyThreshold: 3}
  connectionDraining: {drainingTimeoutSec: 60}
`;
    const { web } = load(text);
    expect(summary(web)).toEqual([{ kind: 'gke-neg', removalSeconds: 45, removalFrom: 'computed' }]);
    expect(web.paths[0]!.via.map((o) => o.kind)).toEqual(['Ingress', 'Service', 'BackendConfig']);
    expect(web.paths[0]!.readinessGate).toBe('cloud.google.com/load-balancer-neg-ready');
  });

  it('a GKE Ingress without a NEG annotation assumes NEGs; a BackendConfig outside the input is an assumption', () => {
    const { web } = load(
      deployment() +
        service('', `    cloud.google.com/backend-config: '{"default": "elsewhere"}'`) +
        ingress('', '    kubernetes.io/ingress.class: gce-internal'),
    );
    expect(summary(web)).toEqual([{ kind: 'gke-neg', removalSeconds: 10, removalFrom: 'default' }]);
    expect(web.paths[0]!.assumptions.join('\n')).toMatch(/VPC-native[\s\S]*BackendConfig elsewhere/);
  });

  it('AGIC by class name', () => {
    const { web } = load(
      deployment() + service('') + ingress('  ingressClassName: azure-application-gateway').replace('azure-application-gateway', 'azure/application-gateway'),
    );
    expect(summary(web)).toEqual([{ kind: 'azure-agic', removalSeconds: 90, removalFrom: 'default' }]);
  });

  it('Gateway API: HTTPRoute → Gateway → GatewayClass controllerName', () => {
    const gateway = (controller: string) => `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  gatewayClassName: edge-class
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: edge-class}
spec: {controllerName: ${controller}}
`;
    const envoy = load(deployment() + service('') + gateway('gateway.envoyproxy.io/gatewayclass-controller')).web;
    expect(envoy.paths[0]).toMatchObject({
      kind: 'ingress-controller',
      description: 'gateway.envoyproxy.io/gatewayclass-controller through HTTPRoute web → Gateway edge → Service web port 80 (http)',
      assumptions: [],
    });
    const gke = load(deployment() + service('') + gateway('networking.gke.io/gateway')).web;
    expect(summary(gke)[0]!.kind).toBe('gke-neg');
    const awsNlb = load(
      deployment() +
        service('') +
        gateway('gateway.k8s.aws/nlb') +
        `
---
apiVersion: gateway.k8s.aws/v1
kind: TargetGroupConfiguration
metadata: {name: web-tg}
spec:
  targetReference: {name: web}
  defaultConfiguration: {targetType: ip}
`,
    ).web;
    expect(summary(awsNlb)[0]).toEqual({ kind: 'aws-nlb-ip', removalSeconds: 120, removalFrom: 'default' });
    const missing = load(deployment() + service('') + gateway('x').split('---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n')[0]!).web;
    expect(missing.paths[0]!.assumptions[0]).toMatch(/Gateway default\/edge is not in the input/);
  });

  it('a TargetGroupBinding with IP targets is an extra path; ALB or NLB is an assumption', () => {
    const { web } = load(
      deployment() +
        service('') +
        `
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: TargetGroupBinding
metadata: {name: web-tgb}
spec:
  serviceRef: {name: web, port: 80}
  targetType: ip
  targetGroupARN: arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef
`,
    );
    expect(summary(web)).toEqual([
      { kind: 'kube-proxy', removalSeconds: 5, removalFrom: 'default' },
      { kind: 'aws-alb-ip', removalSeconds: 30, removalFrom: 'default' },
    ]);
    expect(slowestPath(web)!.assumptions[0]).toMatch(/ALB or an NLB/);
  });

  it('the removal-seconds annotation beats .zerodrop.yaml, which beats what the objects say', () => {
    const lb = (extra: string) =>
      deployment() +
      service('  type: LoadBalancer\n  externalTrafficPolicy: Local', `    service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "5"${extra}`);
    const config = parseConfig('paths:\n  node-local:\n    removalSeconds: 42\n', '.zerodrop.yaml', new Set());
    expect(summary(load(lb(''), { paths: config.paths! }).web)).toEqual([{ kind: 'node-local', removalSeconds: 42, removalFrom: 'config' }]);
    expect(load(lb(''), { paths: config.paths! }).web.paths[0]!.setBy).toBe('.zerodrop.yaml:3 paths.node-local.removalSeconds');
    const annotated = load(lb('\n    zerodrop.dev/removal-seconds: "12"'), { paths: config.paths! }).web;
    expect(summary(annotated)).toEqual([{ kind: 'node-local', removalSeconds: 12, removalFrom: 'annotation' }]);
    expect(annotated.paths[0]!.setBy).toBe('zerodrop.dev/removal-seconds on Service web');
  });

  it('a bad removal-seconds value is an input problem, reported once for a Service in front of two workloads', () => {
    const two = `${deployment()}---${deployment().replace('name: web', 'name: web-canary')}${service('', '    zerodrop.dev/removal-seconds: soon')}`;
    const { annotationProblems, web } = load(two);
    expect(annotationProblems.map((p) => p.message)).toEqual(['zerodrop.dev/removal-seconds must be a number of seconds, got "soon"']);
    expect(summary(web)[0]!.removalFrom).toBe('default');
  });

  it('slowestPath picks the path that lets go last; a workload no Service selects has none', () => {
    const { web } = load(
      deployment() +
        service('', `    alb.ingress.kubernetes.io/target-type: ip`) +
        ingress('  ingressClassName: alb') +
        ingress('  ingressClassName: nginx').replace('name: web\n', 'name: web-internal\n'),
    );
    expect(summary(web).map((p) => p.kind)).toEqual(['aws-alb-ip', 'ingress-nginx']);
    expect(slowestPath(web)!.kind).toBe('aws-alb-ip');
    expect(load(deployment()).web.paths).toEqual([]);
    expect(slowestPath(load(deployment()).web)).toBeUndefined();
  });

  it('the Namespace object is on the view when the input has it', () => {
    const { web } = load(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {elbv2.k8s.aws/pod-readiness-gate-inject: enabled}}\n---${deployment('shop')}`,
    );
    expect(web.namespaceObject?.metadata?.labels).toEqual({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
  });
});

describe('.zerodrop.yaml paths:', () => {
  const errorOf = (text: string) => {
    try {
      parseConfig(text, '.zerodrop.yaml', new Set());
    } catch (err) {
      if (err instanceof ZerodropError) return err.oneLine();
      throw err;
    }
    return 'no error';
  };
  it.each([
    [
      'an unknown kind, with a suggestion',
      'paths:\n  aws-nbl-ip:\n    removalSeconds: 1\n',
      /\.zerodrop\.yaml:2:3: unknown path kind "aws-nbl-ip" \(did you mean "aws-nlb-ip"\?\)/,
    ],
    [
      'an unknown setting',
      'paths:\n  gke-neg:\n    removalSecond: 1\n',
      /\.zerodrop\.yaml:3:5: unknown setting "paths.gke-neg.removalSecond" \(did you mean "removalSeconds"\?\)/,
    ],
    [
      'a negative number',
      'paths:\n  gke-neg:\n    removalSeconds: -3\n',
      /\.zerodrop\.yaml:3:21: paths.gke-neg.removalSeconds must be a number of seconds ≥ 0/,
    ],
    ['not a mapping', 'paths:\n  gke-neg: 3\n', /\.zerodrop\.yaml:2:12: paths.gke-neg must be a mapping/],
  ])('%s is a usage error at file:line:col', (_name, text, expected) => {
    expect(errorOf(text)).toMatch(expected);
  });
});
