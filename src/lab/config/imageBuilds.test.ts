import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../audit/sources.js';
import type { Container } from '../../k8s/objects.js';
import { PACKAGE_ROOT } from '../scenarios/catalog.js';
import { dockerfileFor, dockerfileStopSignal, dockerfileViews, serverOfContainer } from './imageBuilds.js';
import { parseManifestText } from './manifests.js';
import { buildWorkload } from './workload.js';

const dockerfile = (file: string, text: string): Source => ({ file, text, kind: 'dockerfile', origin: 'file' });
const viewsOf = (...sources: Source[]) => dockerfileViews(sources);

const RAILS = `FROM ruby:3.3-slim
WORKDIR /app
COPY . .
CMD ["bundle", "exec", "unicorn", "-c", "config/unicorn.rb", "-p", "8080"]
`;

describe('what a Dockerfile of the input says the image runs and how it stops', () => {
  it('links the image to the Dockerfile by its directory, as the audit does, and only when one Dockerfile matches', () => {
    const views = viewsOf(dockerfile('storefront/Dockerfile', RAILS), dockerfile('worker/Dockerfile', RAILS));
    expect(dockerfileFor('registry.example.com/shop/storefront:2.4.1', views)?.file).toBe('storefront/Dockerfile');
    expect(dockerfileFor('registry.example.com/shop/billing:1', views)).toBeUndefined();
    const twice = viewsOf(dockerfile('a/storefront/Dockerfile', RAILS), dockerfile('b/storefront/Dockerfile', RAILS));
    expect(dockerfileFor('shop/storefront:1', twice)).toBeUndefined();
  });

  it('reads STOPSIGNAL from the file, else from a base image the table knows, else says nothing', () => {
    expect(dockerfileStopSignal(viewsOf(dockerfile('s/Dockerfile', `${RAILS}STOPSIGNAL SIGQUIT\n`))[0]!)).toEqual({
      signal: 'SIGQUIT',
      from: 'STOPSIGNAL SIGQUIT in s/Dockerfile:5',
    });
    expect(dockerfileStopSignal(viewsOf(dockerfile('s/Dockerfile', 'FROM ruby:3.3\nSTOPSIGNAL 3\n'))[0]!)?.signal).toBe('SIGQUIT');
    expect(dockerfileStopSignal(viewsOf(dockerfile('s/Dockerfile', RAILS))[0]!)?.signal).toBe('SIGTERM');
    expect(dockerfileStopSignal(viewsOf(dockerfile('s/Dockerfile', 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n'))[0]!)?.signal).toBe('SIGQUIT');
    // A base image zerodrop does not know may set any STOPSIGNAL.
    expect(dockerfileStopSignal(viewsOf(dockerfile('s/Dockerfile', 'FROM acme/rails-base:7\nCMD ["unicorn"]\n'))[0]!)).toBeUndefined();
  });

  const container = (c: Partial<Container>): Container => ({ name: 'web', image: 'shop/storefront:1', ...c });
  const build = viewsOf(dockerfile('storefront/Dockerfile', RAILS))[0]!;

  it.each<[string, Partial<Container>, ReturnType<typeof viewsOf>[number] | undefined, string | undefined]>([
    ["the Dockerfile's CMD through bundle exec", {}, build, 'unicorn'],
    ["the container's command over the Dockerfile", { command: ['bundle', 'exec', 'unicorn_rails', '-E', 'production'] }, build, 'unicorn'],
    ["the container's command replacing the server", { command: ['bundle', 'exec', 'sidekiq'] }, build, undefined],
    ['a pod on the official ruby image with a command', { image: 'ruby:3.3', command: ['bundle', 'exec', 'unicorn', '-p', '8080'] }, undefined, 'unicorn'],
    ['a shell that stays PID 1 (the signal never reaches unicorn)', { command: ['sh', '-c', 'bundle exec unicorn; echo done'] }, undefined, undefined],
    ['an image the input does not build and the table does not know', {}, undefined, undefined],
  ])('finds the server from %s', (_name, c, view, server) => {
    expect(serverOfContainer(container(c), view)?.server.id).toBe(server);
  });
});

describe('buildWorkload runs a unicorn container as the lab stand-in, with the stop signal of the image the input builds', () => {
  const manifest = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: storefront}
spec:
  replicas: 1
  selector: {matchLabels: {app: storefront}}
  template:
    metadata: {labels: {app: storefront}}
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/storefront:2.4.1
          ports: [{containerPort: 8080}]
${extra}`;
  const workload = (dockerfileText: string, extra = '', images = {}) =>
    buildWorkload(parseManifestText(manifest(extra), 'storefront.yaml'), {
      images,
      rollout: { kind: 'restart' },
      cwd: '/',
      dockerfiles: viewsOf(dockerfile('storefront/Dockerfile', dockerfileText)),
    });

  it('maps the server onto its stand-in through src/k8s/servers.ts, listening on the container ports', () => {
    const w = workload(RAILS);
    const c = w.initial.containers[0]!;
    expect(c.argv).toEqual([process.execPath, path.join(PACKAGE_ROOT, 'dist', 'lab', 'images', 'unicorn.js'), '8080']);
    expect(c.stopSignal).toBe('SIGTERM');
    expect(w.notes.join('\n')).toMatch(
      /runs unicorn \(bundle exec unicorn -c config\/unicorn.rb -p 8080, from storefront\/Dockerfile:4\); the lab runs its unicorn stand-in .* stop signal SIGTERM \(no STOPSIGNAL in storefront\/Dockerfile or its base image ruby:3.3-slim\)/,
    );
  });

  it("sends the Dockerfile's STOPSIGNAL, which lifecycle.stopSignal overrides", () => {
    expect(workload(`${RAILS}STOPSIGNAL SIGQUIT\n`).initial.containers[0]!.stopSignal).toBe('SIGQUIT');
    expect(workload(`${RAILS}STOPSIGNAL SIGQUIT\n`, '          lifecycle: {stopSignal: SIGTERM}\n').initial.containers[0]!.stopSignal).toBe('SIGTERM');
  });

  it('a --run mapping wins over the stand-in and still gets the STOPSIGNAL the Dockerfile sets', () => {
    const w = workload(`${RAILS}STOPSIGNAL SIGQUIT\n`, '', { 'registry.example.com/shop/storefront': { command: process.execPath } });
    expect(w.initial.containers[0]!.argv).toEqual([process.execPath]);
    expect(w.initial.containers[0]!.stopSignal).toBe('SIGQUIT');
  });

  it('an image whose server has no stand-in stays unmapped: the error asks for --run', () => {
    expect(() => workload('FROM python:3.12\nCMD ["gunicorn", "app:app"]\n')).toThrow(/--run registry.example.com\/shop\/storefront=COMMAND/);
  });
});
