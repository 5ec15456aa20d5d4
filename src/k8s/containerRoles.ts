/**
 * What a container is, as far as known images and port names tell: a proxy that usually runs as
 * a sidecar, or a stateful datastore. This is the one place the serving model asks the image
 * tables (`images.ts`) about a container, so their shape can change behind it.
 */
import { datastoreForImage, datastoreForPortName, type Datastore } from './datastores.js';
import { parseImageRef, serverForImage, sidecarProxyFor, type SidecarProxyKnowledge } from './images.js';
import type { Container } from './objects.js';
import { containerPortsOf } from './servicePorts.js';

export type ImageRole =
  | { kind: 'proxy'; proxy: SidecarProxyKnowledge }
  | { kind: 'datastore'; datastore: Datastore; by: 'image' | 'port-name'; portName?: string };

/**
 * The role last found for a container, with the fields it was read from: a dozen rules ask about
 * every container, and the answer changes only if one of those fields is replaced.
 */
const roles = new WeakMap<Container, { image: unknown; name: unknown; ports: unknown; role: ImageRole | undefined }>();

export function imageRoleOf(container: Container): ImageRole | undefined {
  const known = roles.get(container);
  if (known && known.image === container.image && known.name === container.name && known.ports === container.ports) return known.role;
  const role = findImageRole(container);
  roles.set(container, { image: container.image, name: container.name, ports: container.ports, role });
  return role;
}

function findImageRole(container: Container): ImageRole | undefined {
  const image = typeof container.image === 'string' ? container.image : undefined;
  const proxy = image !== undefined ? sidecarProxyFor(image, typeof container.name === 'string' ? container.name : undefined) : undefined;
  if (proxy) return { kind: 'proxy', proxy };
  const ref = image !== undefined ? parseImageRef(image) : undefined;
  const byImage = ref ? datastoreForImage(ref.repository) : undefined;
  if (byImage) return { kind: 'datastore', datastore: byImage, by: 'image' };
  // A port name speaks for images built on a datastore (`myorg/user-db` with port "mongo"), unless
  // the image is a known front server (HAProxy in front of Redis names its port "redis" too).
  if (ref && serverForImage(ref)) return undefined;
  for (const p of containerPortsOf(container)) {
    const byPort = datastoreForPortName(p.name);
    if (byPort) return { kind: 'datastore', datastore: byPort, by: 'port-name', ...(p.name ? { portName: p.name } : {}) };
  }
  return undefined;
}

export function isProxyContainer(container: Container): boolean {
  return imageRoleOf(container)?.kind === 'proxy';
}
