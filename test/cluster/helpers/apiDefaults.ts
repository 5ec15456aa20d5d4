/**
 * What the API server adds to an object when it stores it: every field default of the types the
 * audit reads, as kube-apiserver 1.29–1.34 sets them (kubernetes/kubernetes
 * pkg/apis/apps/v1/defaults.go, pkg/apis/core/v1/defaults.go, pkg/apis/autoscaling/v2/defaults.go,
 * pkg/apis/policy/v1 and networking/v1 have none the audit reads), plus the fields the server
 * allocates (clusterIP, nodePort) and the template's creationTimestamp: null that every live
 * Deployment carries. `zerodrop audit --cluster` sees objects like these, never the user's YAML.
 */
type Obj = Record<string, any>;

const orSet = (o: Obj, key: string, value: unknown) => {
  if (o[key] === undefined) o[key] = value;
};

function probe(p: Obj | undefined): void {
  if (!p) return;
  orSet(p, 'timeoutSeconds', 1);
  orSet(p, 'periodSeconds', 10);
  orSet(p, 'successThreshold', 1);
  orSet(p, 'failureThreshold', 3);
  if (p.httpGet) {
    orSet(p.httpGet, 'path', '/');
    orSet(p.httpGet, 'scheme', 'HTTP');
  }
}

function container(c: Obj): void {
  orSet(c, 'terminationMessagePath', '/dev/termination-log');
  orSet(c, 'terminationMessagePolicy', 'File');
  const image = String(c.image ?? '');
  const tag = /:[^/]+$/.exec(image.split('@')[0]!)?.[0];
  orSet(c, 'imagePullPolicy', image.includes('@') ? 'IfNotPresent' : !tag || tag === ':latest' ? 'Always' : 'IfNotPresent');
  orSet(c, 'resources', {});
  for (const port of c.ports ?? []) orSet(port, 'protocol', 'TCP');
  for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe]) probe(p);
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) orSet(e.valueFrom.fieldRef, 'apiVersion', 'v1');
}

function podSpec(spec: Obj): void {
  orSet(spec, 'restartPolicy', 'Always');
  orSet(spec, 'terminationGracePeriodSeconds', 30);
  orSet(spec, 'dnsPolicy', 'ClusterFirst');
  orSet(spec, 'securityContext', {});
  orSet(spec, 'schedulerName', 'default-scheduler');
  orSet(spec, 'enableServiceLinks', true);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) container(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) orSet(v.configMap, 'defaultMode', 420);
    if (v.secret) orSet(v.secret, 'defaultMode', 420);
    if (v.emptyDir === null) v.emptyDir = {};
  }
}

function template(t: Obj | undefined): void {
  if (!t) return;
  t.metadata ??= {};
  orSet(t.metadata, 'creationTimestamp', null);
  if (t.spec) podSpec(t.spec);
}

const serverFields = (o: Obj) => {
  o.metadata = {
    ...o.metadata,
    uid: '00000000-0000-4000-8000-00000000d0d0',
    resourceVersion: '4242',
    generation: 1,
    creationTimestamp: '2026-11-20T09:00:00Z',
  };
  orSet(o.metadata, 'namespace', 'default');
};

export function withApiDefaults(input: Obj): Obj {
  const o = structuredClone(input);
  serverFields(o);
  const spec = (o.spec ??= {});
  switch (o.kind) {
    case 'Deployment': {
      orSet(spec, 'replicas', 1);
      spec.strategy ??= {};
      orSet(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        spec.strategy.rollingUpdate ??= {};
        orSet(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
        orSet(spec.strategy.rollingUpdate, 'maxSurge', '25%');
      }
      orSet(spec, 'revisionHistoryLimit', 10);
      orSet(spec, 'progressDeadlineSeconds', 600);
      template(spec.template);
      break;
    }
    case 'StatefulSet':
      orSet(spec, 'replicas', 1);
      orSet(spec, 'podManagementPolicy', 'OrderedReady');
      spec.updateStrategy ??= {};
      orSet(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        spec.updateStrategy.rollingUpdate ??= {};
        orSet(spec.updateStrategy.rollingUpdate, 'partition', 0);
      }
      orSet(spec, 'revisionHistoryLimit', 10);
      orSet(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      template(spec.template);
      break;
    case 'DaemonSet':
      spec.updateStrategy ??= {};
      orSet(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        spec.updateStrategy.rollingUpdate ??= {};
        orSet(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
        orSet(spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
      }
      orSet(spec, 'revisionHistoryLimit', 10);
      template(spec.template);
      break;
    case 'Service': {
      orSet(spec, 'type', 'ClusterIP');
      orSet(spec, 'sessionAffinity', 'None');
      if (spec.type !== 'ExternalName') {
        orSet(spec, 'clusterIP', '10.96.12.34');
        orSet(spec, 'clusterIPs', [spec.clusterIP]);
        orSet(spec, 'ipFamilies', ['IPv4']);
        orSet(spec, 'ipFamilyPolicy', 'SingleStack');
        orSet(spec, 'internalTrafficPolicy', 'Cluster');
      }
      let nodePort = 30080;
      for (const port of spec.ports ?? []) {
        orSet(port, 'protocol', 'TCP');
        orSet(port, 'targetPort', port.port);
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') orSet(port, 'nodePort', nodePort++);
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') orSet(spec, 'externalTrafficPolicy', 'Cluster');
      if (spec.type === 'LoadBalancer') orSet(spec, 'allocateLoadBalancerNodePorts', true);
      break;
    }
    case 'HorizontalPodAutoscaler':
      orSet(spec, 'minReplicas', 1);
      if (!spec.metrics) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      spec.behavior ??= {};
      spec.behavior.scaleUp ??= {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      };
      spec.behavior.scaleDown ??= { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
      break;
    default:
      break;
  }
  return o;
}
