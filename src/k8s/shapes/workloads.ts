/**
 * Shapes of the workload kinds (apps/v1 and its beta predecessors, batch, core v1 Pod and
 * ReplicationController), and of the objects the audit relates to them: Service,
 * PodDisruptionBudget, HorizontalPodAutoscaler, Ingress, PersistentVolumeClaim.
 */
import { objectMeta, podSpec, podTemplate } from './podSpec.js';
import { boolean, intOrString, integer, listOf, mapOf, object, string, type Shape } from './schema.js';

export const labelSelector: Shape = object('LabelSelector', {
  matchLabels: mapOf(string),
  matchExpressions: listOf(object('LabelSelectorRequirement', { key: string, operator: string, values: listOf(string) }, ['key', 'operator'])),
});

const rollingUpdate = object('RollingUpdate', { maxSurge: intOrString, maxUnavailable: intOrString, partition: integer });
const strategy = (name: string) => object(name, { type: string, rollingUpdate });
const claimSpec = object('PersistentVolumeClaimSpec', { accessModes: listOf(string), storageClassName: string });

const spec = (name: string, fields: Record<string, Shape>): Shape => object('', { metadata: objectMeta, spec: object(name, fields) });

const jobSpec = object('JobSpec', { template: podTemplate, parallelism: integer, completions: integer, backoffLimit: integer });

/** By kind: the object's shape (metadata and spec). */
export const KIND_SHAPES: Readonly<Record<string, Shape>> = {
  Deployment: spec('DeploymentSpec', {
    replicas: integer,
    minReadySeconds: integer,
    progressDeadlineSeconds: integer,
    revisionHistoryLimit: integer,
    paused: boolean,
    strategy: strategy('DeploymentStrategy'),
    selector: labelSelector,
    template: podTemplate,
  }),
  StatefulSet: spec('StatefulSetSpec', {
    replicas: integer,
    minReadySeconds: integer,
    serviceName: string,
    podManagementPolicy: string,
    updateStrategy: strategy('StatefulSetUpdateStrategy'),
    selector: labelSelector,
    template: podTemplate,
    volumeClaimTemplates: listOf(object('PersistentVolumeClaim', { metadata: objectMeta, spec: claimSpec })),
  }),
  DaemonSet: spec('DaemonSetSpec', {
    minReadySeconds: integer,
    revisionHistoryLimit: integer,
    updateStrategy: strategy('DaemonSetUpdateStrategy'),
    selector: labelSelector,
    template: podTemplate,
  }),
  ReplicaSet: spec('ReplicaSetSpec', { replicas: integer, minReadySeconds: integer, selector: labelSelector, template: podTemplate }),
  ReplicationController: spec('ReplicationControllerSpec', { replicas: integer, minReadySeconds: integer, selector: mapOf(string), template: podTemplate }),
  Pod: object('', { metadata: objectMeta, spec: podSpec }),
  Job: object('', { metadata: objectMeta, spec: jobSpec }),
  CronJob: spec('CronJobSpec', { schedule: string, suspend: boolean, jobTemplate: object('JobTemplateSpec', { metadata: objectMeta, spec: jobSpec }) }),
  Service: spec('ServiceSpec', {
    selector: mapOf(string),
    type: string,
    clusterIP: string,
    externalTrafficPolicy: string,
    publishNotReadyAddresses: boolean,
    ports: listOf(object('ServicePort', { name: string, protocol: string, port: integer, targetPort: intOrString, nodePort: integer })),
  }),
  PodDisruptionBudget: spec('PodDisruptionBudgetSpec', {
    selector: labelSelector,
    minAvailable: intOrString,
    maxUnavailable: intOrString,
    unhealthyPodEvictionPolicy: string,
  }),
  HorizontalPodAutoscaler: spec('HorizontalPodAutoscalerSpec', {
    scaleTargetRef: object('CrossVersionObjectReference', { apiVersion: string, kind: string, name: string }),
    minReplicas: integer,
    maxReplicas: integer,
  }),
  Ingress: spec('IngressSpec', {
    defaultBackend: ingressBackend(),
    backend: ingressBackend(),
    rules: listOf(
      object('IngressRule', {
        host: string,
        http: object('HTTPIngressRuleValue', { paths: listOf(object('HTTPIngressPath', { path: string, pathType: string, backend: ingressBackend() })) }),
      }),
    ),
  }),
  PersistentVolumeClaim: object('', { metadata: objectMeta, spec: claimSpec }),
};

/** networking.k8s.io/v1 (`service: {name, port}`) and the older extensions/v1beta1 (`serviceName`, `servicePort`). */
function ingressBackend(): Shape {
  return object('IngressBackend', {
    service: object('IngressServiceBackend', { name: string, port: object('ServiceBackendPort', { name: string, number: integer }) }),
    serviceName: string,
    servicePort: intOrString,
  });
}
