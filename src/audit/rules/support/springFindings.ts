/**
 * What the two Spring Boot shutdown rules share: the serving containers that run Spring Boot,
 * where in the container a setting was written (for the finding's position), and the patch that
 * sets SERVER_SHUTDOWN=graceful where that wins.
 */
import { appShutdownDefault } from '../../../k8s/appShutdown.js';
import type { SpringSetting } from '../../../k8s/springBoot.js';
import type { ContainerView, ObjectView, WorkloadView, YamlPath } from '../../types.js';
import { springContainer, type SpringContainer } from './appFrameworks.js';
import { trafficContainers } from './containers.js';
import { objectsOf, workloadViewOf } from './edge.js';
import { records } from './fields.js';
import { containerPatch } from './patches.js';

export function springServers(
  view: ObjectView,
  all: { objects: ObjectView[]; workloads: WorkloadView[] },
): Array<{ w: WorkloadView; c: ContainerView; spring: SpringContainer }> {
  const w = workloadViewOf(view, all.workloads);
  if (!w) return [];
  const objects = objectsOf(all.objects);
  return trafficContainers(w).flatMap((c) => {
    const spring = springContainer(c, w, objects);
    return spring ? [{ w, c, spring }] : [];
  });
}

/** Where the finding points: the pod's env entry or argument that wrote the setting, else the container. */
export function settingPath(c: ContainerView, s: SpringSetting<unknown> | undefined): YamlPath {
  if (s?.source === 'environment') {
    const name = /^env (\w+)=/.exec(s.written)?.[1];
    const at = records<{ name?: unknown }>(c.container.env).findIndex((e) => e.name === name);
    if (at >= 0) return [...c.path, 'env', at];
  }
  if (s?.source === 'argument') {
    for (const key of ['args', 'command'] as const) {
      const list = c.container[key];
      const at = Array.isArray(list) ? list.findIndex((a) => String(a).includes(s.written)) : -1;
      if (at >= 0) return [...c.path, key, at];
    }
  }
  return c.path;
}

/**
 * Env SERVER_SHUTDOWN=graceful, as a patch, where it decides: environment variables outrank
 * config files but not system properties, SPRING_APPLICATION_JSON or arguments.
 */
export function gracefulEnvPatch(w: WorkloadView, c: ContainerView, s: SpringSetting<unknown> | undefined) {
  if (s && s.source !== 'environment' && s.source !== 'config file') return undefined;
  if (typeof c.container.name !== 'string') return undefined;
  const name = s?.source === 'environment' ? (/^env (\w+)=/.exec(s.written)?.[1] ?? 'SERVER_SHUTDOWN') : 'SERVER_SHUTDOWN';
  return containerPatch(w, c, { env: [{ name, value: 'graceful' }] });
}

/** The default of server.shutdown for a Spring Boot version, from the table (src/k8s/appShutdown.ts). */
export function defaultShutdownFor(version: string | undefined): string | undefined {
  return appShutdownDefault('spring-boot/server.shutdown', version)?.value;
}
