import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/traffic-paths.md#linkerd-proxy: on SIGTERM the proxy refuses every new request; its own
// preStop (proxy-wait-before-exit-seconds) must outlast the app's, inside the grace period.
const WAIT = 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds';
const app = (preStopSeconds: number) => ({ ...APP, lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } } });
const meshed = (annotations: Record<string, string> = {}, o: { preStop?: number; podSpec?: Record<string, unknown> } = {}) =>
  manifests({
    containers: [app(o.preStop ?? 10)],
    templateAnnotations: { 'linkerd.io/inject': 'enabled', ...annotations },
    ...(o.podSpec ? { podSpec: o.podSpec } : {}),
  });
const patch = (annotations: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  spec: { template: { metadata: { annotations }, ...(Object.keys(spec).length > 0 ? { spec } : {}) } },
});

testRule('linkerd-proxy-refuses-during-prestop', {
  valid: [
    { name: 'the proxy waits past the app’s preStop, inside the grace period', text: meshed({ [WAIT]: '15' }) },
    { name: 'native sidecar (GA key)', text: meshed({ 'config.linkerd.io/proxy-enable-native-sidecar': 'true' }) },
    { name: 'native sidecar (deprecated beta key)', text: meshed({ 'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true' }) },
    { name: 'no app preStop: nothing waits for the proxy', text: manifests({ containers: [APP], templateAnnotations: { 'linkerd.io/inject': 'enabled' } }) },
    { name: 'not meshed', text: manifests({ containers: [app(10)] }) },
    {
      name: 'a linkerd-proxy written in the pod spec is sidecar-exits-first’s',
      text: manifests({ containers: [app(10), { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-26.8.1' }] }),
    },
  ],
  invalid: [
    {
      name: 'no wait: the proxy refuses during the whole preStop; the fix covers preStop + drain',
      text: meshed(),
      findings: [
        {
          messageId: 'refusesDuringPreStop',
          line: 26,
          data: { injectedBy: 'Pod annotation linkerd.io/inject: enabled', wait: '0 s', app: 'app', preStop: '10 s', neededWait: 15, neededGrace: 20 },
          fix:
            'annotate the pod template config.alpha.linkerd.io/proxy-wait-before-exit-seconds: "15" (longer than the app\'s preStop, covering its drain) and keep terminationGracePeriodSeconds at least 20; ' +
            'or run the proxy as a native sidecar (config.linkerd.io/proxy-enable-native-sidecar: "true" on Linkerd 2.20, config.alpha.linkerd.io/proxy-enable-native-sidecar on 2.15–2.19)',
          patch: patch({ [WAIT]: '15' }),
        },
      ],
    },
    {
      name: 'a wait equal to the preStop, with a short grace period that the fix raises',
      text: meshed({ [WAIT]: '20' }, { preStop: 20, podSpec: { terminationGracePeriodSeconds: 25 } }),
      findings: [
        {
          messageId: 'refusesDuringPreStop',
          data: { wait: '20 s (config.alpha.linkerd.io/proxy-wait-before-exit-seconds)', neededWait: 25, neededGrace: 30 },
          patch: patch({ [WAIT]: '25' }, { terminationGracePeriodSeconds: 30 }),
        },
      ],
    },
    {
      name: 'the wait outlasts the preStop but the grace period does not cover it plus the drain',
      text: meshed({ [WAIT]: '30' }),
      findings: [
        {
          messageId: 'graceShorterThanWait',
          data: { wait: '30 s', grace: 'terminationGracePeriodSeconds 30 (the default)', neededGrace: 35 },
          fixId: 'raiseGrace',
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 35 } } } },
        },
      ],
    },
    {
      name: 'native sidecars turned off explicitly',
      text: meshed({ 'config.linkerd.io/proxy-enable-native-sidecar': 'false' }),
      findings: [
        {
          messageId: 'refusesDuringPreStop',
          data: { nativeBy: 'annotation config.linkerd.io/proxy-enable-native-sidecar: "false"', assumed: '' },
          patch: patch({ [WAIT]: '15' }),
        },
      ],
    },
  ],
});
