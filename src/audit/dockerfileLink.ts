/**
 * Which Dockerfiles of the run build a container's image. By the image's last path segment
 * (`…/frontend:1.4` from `frontend/Dockerfile`), and, for projects that push every service to one
 * repository and name the service in the tag (`org/demo:2.1-frontend-proxy`,
 * `org/demo:latest-cart`, `org/demo:cart`), by the tag's service part. Images the image table
 * knows are never matched by tag: `nginx:1.27-alpine` is not built from `alpine/Dockerfile`.
 */
import { parseImageRef } from '../k8s/imageRef.js';
import { knownImage } from '../k8s/images.js';

/** Tags that name a release channel, not a service. */
const FLOATING_TAGS = new Set(['latest', 'main', 'master', 'dev', 'develop', 'stable', 'edge', 'nightly', 'canary', 'release']);

/** The service a per-service tag names: the tag without a leading version or `latest-`. */
export function serviceOfTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const m = /^(?:v?\d+(?:\.\d+)*(?:-(?:rc|alpha|beta)\.?\d*)?|latest|main|dev)-([a-z][a-z0-9._-]*)$/i.exec(tag) ?? /^([a-z][a-z0-9._-]*)$/i.exec(tag);
  const service = m?.[1]?.toLowerCase();
  return service && !FLOATING_TAGS.has(service) ? service : undefined;
}

/** The Dockerfiles whose names (see dockerfileImageNames) match the image. */
export function dockerfilesForImage<D>(image: string, dockerfiles: readonly D[], namesOf: (d: D) => readonly string[]): D[] {
  const ref = parseImageRef(image);
  const byName = dockerfiles.filter((d) => namesOf(d).includes(ref.name.toLowerCase()));
  if (byName.length > 0 || knownImage(ref)) return byName;
  const service = serviceOfTag(ref.tag);
  return service ? dockerfiles.filter((d) => namesOf(d).includes(service)) : [];
}
