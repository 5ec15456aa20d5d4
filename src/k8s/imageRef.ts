/**
 * Image references as the container runtime reads them (`[registry/]path[:tag][@digest]`), with
 * Docker Hub's spellings of one repository folded together, and tag versions compared the way
 * floating tags behave: `nginx:1.19` is whatever 1.19 release was built last.
 */
export interface ImageRef {
  /**
   * The repository, Docker Hub spellings folded: `docker.io/library/nginx`, `library/nginx` and
   * `mirror.gcr.io/library/nginx` are all `nginx`; `docker.io/nginxinc/x` is `nginxinc/x`. Other
   * registries are kept whole (`registry.k8s.io/ingress-nginx/controller`).
   */
  repository: string;
  /** Last path segment, e.g. `nginx`, `cloud-sql-proxy`. */
  name: string;
  tag?: string;
  digest?: string;
}

/**
 * Registry prefixes that serve Docker Hub's repositories unchanged: Docker Hub itself, Google's
 * pull-through mirror and the ECR Public copy of the official images.
 */
const DOCKER_HUB_PREFIXES =
  /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io|registry\.hub\.docker\.com|mirror\.gcr\.io)\/|public\.ecr\.aws\/docker\/)/;

/**
 * References already parsed, frozen so no caller can change another's: every rule asks about
 * every container's image. Bounded, and emptied when full (an input names few distinct images).
 */
const parsed = new Map<string, Readonly<ImageRef>>();
const PARSED_LIMIT = 50_000;

export function parseImageRef(image: string): Readonly<ImageRef> {
  let ref = parsed.get(image);
  if (!ref) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    ref = Object.freeze(readImageRef(image));
    parsed.set(image, ref);
  }
  return ref;
}

function readImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const repository = rest.replace(DOCKER_HUB_PREFIXES, '').replace(/^library\//, '');
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  const ref: ImageRef = { repository, name };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** A reference whose repository is decided at build time (`FROM ${BASE_IMAGE}`): nothing is known about it. */
export function isUnresolvedImage(image: string): boolean {
  return /\$/.test(image);
}

/**
 * The version a tag names, component by component: `1.19.5-alpine` → [1, 19, 5], `v1.39.0` →
 * [1, 39, 0], `8.3-fpm` → [8, 3]. Missing components are left out: a floating tag (`1.19`) is
 * the newest build of that line, so it compares above every `1.19.x`.
 */
export function tagVersion(tag: string | undefined): number[] | undefined {
  if (!tag) return undefined;
  const m = /^v?(\d+(?:\.\d+)*)/.exec(tag);
  return m ? m[1]!.split('.').map(Number) : undefined;
}

/**
 * Compares a tag's version with a pinned one. Components the tag leaves out count as newest, so
 * `1.19` is above `1.19.5` and `1` is above `1.18`.
 */
export function compareTagVersion(tag: readonly number[], pinned: readonly number[]): number {
  for (let i = 0; i < pinned.length; i++) {
    if (i >= tag.length) return 1;
    const d = tag[i]! - pinned[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A range of tag versions, `from` included and `below` excluded, written as dotted versions
 * (`{ from: '1.19', below: '1.19.5' }`). A tag without a version (`latest`, `alpine`) is the
 * newest build, so it is in no range that has a `below`.
 */
export interface VersionRange {
  from?: string;
  below?: string;
}

const dotted = (v: string): number[] => v.split('.').map(Number);

export function tagInRange(tag: string | undefined, range: VersionRange): boolean {
  const v = tagVersion(tag);
  if (!v) return range.below === undefined;
  if (range.from !== undefined && compareTagVersion(v, dotted(range.from)) < 0) return false;
  if (range.below !== undefined && compareTagVersion(v, dotted(range.below)) >= 0) return false;
  return true;
}
