/**
 * Shapes of the pod template and what it holds (k8s.io/api core/v1 types: PodSpec, Container,
 * Probe, LifecycleHandler, ContainerPort, EnvVar, Volume), limited to the fields zerodrop reads.
 */
import { boolean, intOrString, integer, listOf, mapOf, object, string, type Shape } from './schema.js';

export const objectMeta: Shape = object('ObjectMeta', {
  name: string,
  generateName: string,
  namespace: string,
  labels: mapOf(string),
  annotations: mapOf(string),
});

const execAction = object('ExecAction', { command: listOf(string) });
const httpGetAction = object('HTTPGetAction', {
  path: string,
  port: intOrString,
  host: string,
  scheme: string,
  httpHeaders: listOf(object('HTTPHeader', { name: string, value: string })),
});
const tcpSocketAction = object('TCPSocketAction', { port: intOrString, host: string });
const grpcAction = object('GRPCAction', { port: integer, service: string });
const sleepAction = object('SleepAction', { seconds: integer });

export const probe: Shape = object('Probe', {
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: grpcAction,
  initialDelaySeconds: integer,
  periodSeconds: integer,
  timeoutSeconds: integer,
  successThreshold: integer,
  failureThreshold: integer,
  terminationGracePeriodSeconds: integer,
});

const lifecycleHandler = object('LifecycleHandler', { exec: execAction, httpGet: httpGetAction, tcpSocket: tcpSocketAction, sleep: sleepAction });

export const container: Shape = object(
  'Container',
  {
    name: string,
    image: string,
    command: listOf(string),
    args: listOf(string),
    workingDir: string,
    env: listOf(object('EnvVar', { name: string, value: string }, ['name'])),
    ports: listOf(object('ContainerPort', { name: string, containerPort: integer, hostPort: integer, hostIP: string, protocol: string })),
    readinessProbe: probe,
    livenessProbe: probe,
    startupProbe: probe,
    lifecycle: object('Lifecycle', { preStop: lifecycleHandler, postStart: lifecycleHandler, stopSignal: string }),
    restartPolicy: string,
    volumeMounts: listOf(object('VolumeMount', { name: string, mountPath: string, readOnly: boolean })),
  },
  ['name'],
);

export const podSpec: Shape = object('PodSpec', {
  containers: listOf(container),
  initContainers: listOf(container),
  terminationGracePeriodSeconds: integer,
  shareProcessNamespace: boolean,
  hostNetwork: boolean,
  volumes: listOf(object('Volume', { name: string, persistentVolumeClaim: object('PersistentVolumeClaimVolumeSource', { claimName: string }) })),
});

export const podTemplate: Shape = object('PodTemplateSpec', { metadata: objectMeta, spec: podSpec });
