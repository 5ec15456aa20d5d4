import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSources } from '../../src/audit/sources.js';
import { parseManifestText, readManifests } from '../../src/lab/config/manifests.js';
import { chooseWorkload } from '../../src/lab/config/workloadChoice.js';
import { planLabRuns } from '../../src/lab/run/plan.js';
import { ZerodropError } from '../../src/errors.js';
import { zerodrop } from '../audit/cli.js';
import { HAVE_KUBECTL, warnWithoutKubectl } from './support/kubectl.js';

// What the lab reads and decides before any process starts: kustomize directories rendered by
// the audit's own renderer, patch files refused with what to pass instead, which Deployment of
// an input rolls, and one run per input. Nothing here starts a pod; about 5 s in all (kubectl
// kustomize and the CLI's start-up).

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const APP = path.join(ROOT, 'test', 'lab', 'fixtures', 'kustomize-app');
const STAGING = path.join(APP, 'overlays', 'staging');
const DEMO_IMAGE = { 'zerodrop/demo-app': { command: `${process.execPath} ${path.join(ROOT, 'examples', 'demo-app', 'server.mjs')}` } };
const tmp = mkdtempSync(path.join(tmpdir(), 'zerodrop-lab-inputs-'));
warnWithoutKubectl('the lab tests that render kustomize directories');

/** The one-line error a plan stops with, as the CLI prints it after `zerodrop: error[CODE]: `. */
async function planError(inputs: string[], overrides: Parameters<typeof planLabRuns>[0]['overrides'] = {}, runs?: string[]): Promise<string> {
  try {
    await plan(inputs, overrides, runs);
  } catch (err) {
    if (err instanceof ZerodropError) return `${err.code}: ${err.oneLine()}`;
    throw err;
  }
  throw new Error('planned without an error');
}

const plan = (inputs: string[], overrides: Parameters<typeof planLabRuns>[0]['overrides'] = {}, runs?: string[]) =>
  planLabRuns({ inputs, overrides: { images: DEMO_IMAGE, ...overrides }, command: 'test', cwd: ROOT, ...(runs ? { runs } : {}) });

describe.skipIf(!HAVE_KUBECTL)('a kustomize directory is rendered as the audit renders it', () => {
  it('applies the overlay, its patch, a component and a generator; no patch file is read as an object', async () => {
    const read = await readManifests([STAGING]);
    const kinds = read.objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`);
    expect(kinds).toEqual(['ConfigMap/web-config-f655md8fbd', 'Service/web', 'Deployment/web']);
    const [run] = (await plan([STAGING])).runs;
    const w = run!.config!.workload;
    expect(w.deployment.replicas).toBe(3); // replicas transformer
    const web = w.initial.containers[0]!;
    expect(web.image).toBe('zerodrop/demo-app:2.0'); // images transformer
    expect(web.readiness?.handler.httpGet?.path).toBe('/healthz'); // the overlay's patch
    expect(web.preStop).toEqual({ sleep: { seconds: 3 } }); // the component's patch
    // The generated ConfigMap's hashed name was written into the reference by kustomize.
    const deployment = read.objects.find((o) => o.object.kind === 'Deployment')!.object;
    expect(JSON.stringify(deployment)).toContain('"name":"web-config-f655md8fbd"');
  });

  it('reads the very text the audit reads (one renderer), also when given the whole tree', async () => {
    const audit = await collectSources([STAGING]);
    const lab = await readManifests([STAGING]);
    expect(lab.sources.map((s) => s.text)).toEqual(audit.sources.map((s) => s.text));
    // The tree holds the base, a component and the overlay: only the outermost is rendered.
    const tree = await readManifests([APP]);
    expect(tree.objects.filter((o) => o.object.kind === 'Deployment')).toHaveLength(1);
    expect(tree.sources.map((s) => s.text)).toEqual(lab.sources.map((s) => s.text));
  });

  it("a kustomization kustomize cannot render is the audit's error, with exit 2", async () => {
    const dir = path.join(tmp, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    const lab = zerodrop(['lab', dir]);
    expect(lab.code).toBe(2);
    expect(lab.stderr).toMatch(/^zerodrop: error\[kustomize-failed\]: .*broken: kubectl kustomize failed: .*missing\.yaml.*\n$/);
    // kubectl's own log prefix carries a timestamp: compare from its error on.
    const reason = (text: string) => /err=.*$/m.exec(text)?.[0];
    const audit = (await collectSources([dir])).errors[0]!;
    expect(audit.code).toBe('kustomize-failed');
    expect(reason(lab.stderr)).toBe(reason(audit.message));
  });
});

it('a document that is a list, not an object, is named with its line', async () => {
  const file = path.join(tmp, 'list.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- apiVersion: apps/v1\n  kind: Deployment\n');
  expect(await planError([file])).toMatch(/^lab-manifest-shape: .*list\.yaml:5: expected a Kubernetes object/);
});

describe('a patch given alone says what it is and what to pass instead', () => {
  it('on the command line: one line, exit 2, nothing started', () => {
    const r = zerodrop(['lab', 'examples/talk/demo-repo/kustom-probes/patch.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "zerodrop: error[lab-input-is-patch]: examples/talk/demo-repo/kustom-probes/patch.yaml: is a strategic-merge patch that examples/talk/demo-repo/kustom-probes/kustomization.yaml applies (patchesStrategicMerge), not a complete manifest; pass the kustomization's directory instead: zerodrop lab examples/talk/demo-repo/kustom-probes\n",
    );
    expect(r.stdout).toBe('');
  });

  it.each([
    [path.join(STAGING, 'probes.yaml'), 'a patch', 'patches', 'test/lab/fixtures/kustomize-app/overlays/staging'],
    [path.join(APP, 'components', 'prestop', 'prestop.yaml'), 'a patch', 'patches', 'test/lab/fixtures/kustomize-app/components/prestop'],
  ])('%s', async (file, what, field, dir) => {
    const shown = path.relative(ROOT, file);
    expect(await planError([shown])).toBe(
      `lab-input-is-patch: ${shown}: is ${what} that ${dir}/kustomization.yaml applies (${field}), not a complete manifest; pass the kustomization's directory instead: zerodrop lab ${dir}`,
    );
  });

  it('the suggested command is written as the input was: relative from outside the working directory, absolute when given absolute', () => {
    const patch = path.join(ROOT, 'examples', 'talk', 'demo-repo', 'kustom-probes', 'patch.yaml');
    const elsewhere = path.join(ROOT, 'test', 'lab');
    const relative = zerodrop(['lab', path.relative(elsewhere, patch)], { cwd: elsewhere });
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(
      /applies \(patchesStrategicMerge\), not a complete manifest; pass the kustomization's directory instead: zerodrop lab \.\.\/\.\.\/examples\/talk\/demo-repo\/kustom-probes\n$/,
    );
    const absolute = zerodrop(['lab', patch], { cwd: elsewhere });
    expect(absolute.stderr).toContain(`pass the kustomization's directory instead: zerodrop lab ${path.dirname(patch)}\n`);
  });

  it('a patch copied out of its kustomization is still recognised by its shape', async () => {
    const file = path.join(tmp, 'patch.yaml');
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nginx}\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          readinessProbe: {httpGet: {path: /, port: 80}}\n',
    );
    expect(await planError([file])).toMatch(
      /^lab-input-is-patch: .*patch\.yaml:1: Deployment nginx has no selector and no container image: it reads as a strategic-merge patch/,
    );
  });

  it('a kustomization file given alone points at its directory', async () => {
    expect(await planError(['examples/talk/demo-repo/k8s/kustomization.yaml'])).toMatch(
      /^lab-input-is-kustomization: examples\/talk\/demo-repo\/k8s\/kustomization\.yaml: is a kustomization file; pass its directory instead \(zerodrop lab examples\/talk\/demo-repo\/k8s\)/,
    );
  });
});

const demoDeployment = (name: string, replicas: number, ports = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: zerodrop/demo-app:1.0${ports}}]
---
`;

const twoWorkloads = (extra = ''): string => `${demoDeployment('worker', 1)}${demoDeployment('web', 2, ', ports: [{containerPort: 8080}]')}apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
${extra}`;

describe('which Deployment rolls', () => {
  it('the one behind the Service, saying so and naming the other', () => {
    const choice = chooseWorkload(parseManifestText(twoWorkloads(), 'two.yaml'));
    expect(choice.chosen.object.metadata?.name).toBe('web');
    expect(choice.notes).toEqual([
      'rolls Deployment web: the load arrives through Service web',
      'Deployment worker is not rolled (choose it with --workload worker)',
    ]);
  });

  it('--workload picks another one, by name or namespace/name', async () => {
    const file = path.join(tmp, 'two.yaml');
    writeFileSync(file, twoWorkloads());
    for (const name of ['worker', 'default/worker']) {
      const [run] = (await plan([file], { workload: name })).runs;
      expect(run!.config!.workload.deployment.name).toBe('worker');
      expect(run!.config!.notes?.[0]).toBe('rolls Deployment worker (--workload)');
    }
  });

  it('an Ingress outranks a Service; an ingress controller is left to the lab proxy', () => {
    const controller = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  selector: {matchLabels: {app: ingress}}
  template:
    metadata: {labels: {app: ingress}}
    spec:
      containers: [{name: controller, image: "registry.k8s.io/ingress-nginx/controller:v1.11.2"}]
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx, namespace: ingress-nginx}
spec:
  type: LoadBalancer
  selector: {app: ingress}
  ports: [{port: 80}]
`;
    const choice = chooseWorkload(parseManifestText(twoWorkloads(controller), 'three.yaml'));
    expect(choice.chosen.object.metadata?.name).toBe('web');
    expect(choice.notes).toContain(
      "Deployment ingress-nginx-controller runs ingress-nginx, an ingress controller: the lab's own proxy stands in for it, so it is not run",
    );
  });

  it('two Deployments behind Services and no --workload: one error naming both', async () => {
    const file = path.join(tmp, 'ambiguous.yaml');
    const second = `---\napiVersion: v1\nkind: Service\nmetadata: {name: worker}\nspec:\n  selector: {app: worker}\n  ports: [{port: 80}]\n`;
    writeFileSync(file, twoWorkloads(second));
    expect(await planError([file])).toMatch(
      /^lab-many-deployments: the lab rolls one Deployment and 2 could take the load: worker \(.*ambiguous\.yaml:1\), web \(.*ambiguous\.yaml:12\); choose one with --workload NAME$/,
    );
  });

  it('--workload naming no Deployment lists the ones there are', async () => {
    const file = path.join(tmp, 'two-cli.yaml');
    writeFileSync(file, twoWorkloads());
    expect(await planError([file], { workload: 'api' })).toMatch(
      /^lab-unknown-workload: .*two-cli\.yaml: --workload api: the input has no Deployment of that name \(it has: worker, web\)$/,
    );
  });
});

describe.skipIf(!HAVE_KUBECTL)('several inputs, several runs', () => {
  it('one run per input, in order, named after it; lab files and manifests mix', async () => {
    const again = path.join(tmp, 'staging');
    cpSync(STAGING, again, { recursive: true });
    // The copy's base and component paths must still resolve: point them back at the fixture.
    writeFileSync(
      path.join(again, 'kustomization.yaml'),
      readFileSync(path.join(STAGING, 'kustomization.yaml'), 'utf8').replaceAll('../../', `${path.relative(again, APP)}/`),
    );
    const labFile = path.join(ROOT, 'examples', 'talk', 'probes.lab.yaml');
    const { runs } = await plan([STAGING, labFile, again]);
    expect(runs.map((r) => r.name)).toEqual(['staging', 'probes', 'staging-2']);
    expect(runs.map((r) => r.expect)).toEqual(['zero', 'zero', 'zero']);
    expect(runs.map((r) => r.config!.workload.deployment.name)).toEqual(['web', 'web', 'web']);
  });

  it('--runs belongs to bundled scenarios, not to inputs', async () => {
    expect(await planError([STAGING], {}, ['staging'])).toMatch(/^conflicting-flags: --runs picks runs of a bundled scenario/);
  });
});
