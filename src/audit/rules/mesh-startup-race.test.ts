import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/traffic-paths.md#mesh-startup-race: holdApplicationUntilProxyStarts defaults to false;
// Linkerd's proxy-await defaults to enabled; native sidecars start before the app.
const enabled = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } };
const istio = (annotations?: Record<string, string>) =>
  manifests({ containers: [APP], ...(annotations ? { templateAnnotations: annotations } : {}), extra: [enabled] });
const v132 = { kubernetesVersion: '1.32' };

testRule('mesh-startup-race', {
  valid: [
    { name: 'hold set in the proxy config', text: istio({ 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true' }), settings: v132 },
    { name: 'target 1.33: a native sidecar starts first', text: istio() },
    { name: 'Linkerd with the default proxy-await', text: manifests({ templateAnnotations: { 'linkerd.io/inject': 'enabled' } }) },
    { name: 'not meshed', text: manifests(), settings: v132 },
  ],
  invalid: [
    {
      name: 'Istio on 1.32 without the hold: the fix adds it to the proxy config and offers the native sidecar',
      text: istio({ 'proxy.istio.io/config': 'terminationDrainDuration: 20s' }),
      settings: v132,
      findings: [
        {
          messageId: 'istioNoHold',
          data: { holdFrom: ' (the default; the mesh ConfigMap is not in the input)' },
          fix: 'set holdApplicationUntilProxyStarts: true in the pod template\'s proxy.istio.io/config annotation, or annotate it sidecar.istio.io/nativeSidecar: "true" (Istio 1.24+), which starts the proxy first',
          patch: {
            spec: {
              template: { metadata: { annotations: { 'proxy.istio.io/config': 'terminationDrainDuration: 20s\nholdApplicationUntilProxyStarts: true\n' } } },
            },
          },
        },
      ],
    },
    {
      name: 'an explicit hold: false',
      text: istio({ 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": false}' }),
      settings: { kubernetesVersion: '1.28' },
      findings: [
        {
          messageId: 'istioNoHold',
          data: { holdFrom: '', nativeAlternative: '' },
          patch: { spec: { template: { metadata: { annotations: { 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true\n' } } } } },
        },
      ],
    },
    {
      name: 'Linkerd with proxy-await disabled',
      text: manifests({ templateAnnotations: { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/proxy-await': 'disabled' } }),
      findings: [
        {
          messageId: 'linkerdAwaitDisabled',
          fix: 'annotate the pod template config.linkerd.io/proxy-await: enabled (the default)',
          patch: { spec: { template: { metadata: { annotations: { 'config.linkerd.io/proxy-await': 'enabled' } } } } },
        },
      ],
    },
  ],
});
