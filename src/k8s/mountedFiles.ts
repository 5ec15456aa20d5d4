/**
 * The files a container sees through its volume mounts, as far as the input shows them: a
 * ConfigMap volume of the input gives its keys (or its `items`) as files under the mount path,
 * a `subPath` mount gives one key at exactly the mount path. Anything else mounted over a path
 * (a ConfigMap the input does not hold, a Secret, an emptyDir, a projected volume with another
 * kind of source) makes that path `unseen`: something the input cannot show may put a file
 * there, so rules stay silent (https://kubernetes.io/docs/concepts/storage/volumes/#configmap).
 * Pure: the pod spec, namespace and objects in, file texts out.
 */
import { configMapNamed } from './configMaps.js';
import type { Container, KubeObject } from './objects.js';

export interface MountedFile {
  /** Absolute path in the container. */
  path: string;
  text: string;
  /** The ConfigMap and key that provide it, for messages. */
  configMap: string;
  key: string;
  /** Both in one phrase: `ConfigMap app-config key application.yml`. */
  origin: string;
}

interface Mount {
  name?: unknown;
  mountPath?: unknown;
  subPath?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Whether `path` is `dir` or lies below it. */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** What one mount puts into the container: the files it shows, or `unseen` for a volume the input cannot show. */
function mountContents(
  m: Mount,
  volumes: ReadonlyArray<Record<string, unknown>>,
  namespace: string,
  objects: readonly KubeObject[],
): { mountPath: string; files: MountedFile[] } | { mountPath: string; unseen: true } | undefined {
  if (typeof m.mountPath !== 'string') return undefined;
  const mountPath = trimSlash(m.mountPath);
  const volume = volumes.find((v) => v.name === m.name);
  // A configMap volume, or a projected one made of configMap sources only (any other source may add files the input cannot show).
  const projected = isRecord(volume?.projected) && Array.isArray(volume.projected.sources) ? (volume.projected.sources as unknown[]) : undefined;
  const sources = isRecord(volume?.configMap)
    ? [volume.configMap]
    : projected?.every((p) => isRecord(p) && isRecord(p.configMap))
      ? projected.map((p) => (p as { configMap: Record<string, unknown> }).configMap)
      : undefined;
  if (!sources || sources.length === 0) return { mountPath, unseen: true };
  const entries: Array<{ rel: string; key: string; text: string; configMap: string }> = [];
  for (const source of sources) {
    const cm = typeof source.name === 'string' ? configMapNamed(objects, namespace, source.name) : undefined;
    const data = cm && isRecord(cm.data) ? cm.data : undefined;
    if (!cm || !data) return { mountPath, unseen: true };
    // `items` projects only the listed keys, each at its own relative path.
    const items = Array.isArray(source.items) ? (source.items.filter(isRecord) as Array<{ key?: unknown; path?: unknown }>) : undefined;
    const pairs: Array<[string, string]> = items
      ? items.flatMap((i) =>
          typeof i.key === 'string' && typeof i.path === 'string' && typeof data[i.key] === 'string' ? [[i.path, i.key] as [string, string]] : [],
        )
      : Object.keys(data)
          .filter((k) => typeof data[k] === 'string')
          .map((k) => [k, k]);
    for (const [rel, key] of pairs) entries.push({ rel, key, text: data[key] as string, configMap: String(source.name) });
  }
  const file = (path: string, e: (typeof entries)[number]): MountedFile => ({
    path,
    text: e.text,
    configMap: e.configMap,
    key: e.key,
    origin: `ConfigMap ${e.configMap} key ${e.key}`,
  });
  if (typeof m.subPath === 'string') {
    const hit = entries.find((e) => e.rel === m.subPath);
    // A key the ConfigMap of the input lacks: another object of the same name (not in the input) may hold it.
    if (!hit) return { mountPath, unseen: true };
    return { mountPath, files: [file(mountPath, hit)] };
  }
  return { mountPath, files: entries.map((e) => file(`${mountPath}/${e.rel}`, e)) };
}

function contentsOf(c: Container, podSpec: Record<string, unknown>, namespace: string, objects: readonly KubeObject[]) {
  const mounts = Array.isArray(c.volumeMounts) ? (c.volumeMounts as Mount[]) : [];
  const volumes = Array.isArray(podSpec.volumes) ? (podSpec.volumes as Array<Record<string, unknown>>) : [];
  return mounts.flatMap((m) => {
    const x = mountContents(m, volumes, namespace, objects);
    return x ? [x] : [];
  });
}

/**
 * The file at `path`: its text when a ConfigMap of the input provides it, `unseen` when a mount
 * covers the path without the input showing the file there, undefined when no mount covers it
 * (the image's own file).
 */
export function mountedFileAt(
  c: Container,
  podSpec: Record<string, unknown>,
  namespace: string,
  objects: readonly KubeObject[],
  path: string,
): MountedFile | 'unseen' | undefined {
  const found = mountedFileLookup(c, podSpec, namespace, objects, path);
  // A mount over the path's directory hides the image's file; without the file itself, nothing the input shows is there.
  return found === 'absent' ? 'unseen' : found;
}

/**
 * Like mountedFileAt, but telling apart a ConfigMap of the input mounted over the path's
 * directory without the file (`absent`: the container has no file there) from a mount the input
 * cannot show (`unseen`), for a program that looks for the first of several files (Traefik's
 * traefik.yml, traefik.yaml, traefik.toml).
 */
export function mountedFileLookup(
  c: Container,
  podSpec: Record<string, unknown>,
  namespace: string,
  objects: readonly KubeObject[],
  path: string,
): MountedFile | 'absent' | 'unseen' | undefined {
  const target = trimSlash(path);
  // The deepest mount covering the path hides the ones above it.
  const covering = contentsOf(c, podSpec, namespace, objects)
    .filter((x) => within(target, x.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!covering) return undefined;
  if ('unseen' in covering) return 'unseen';
  return covering.files.find((f) => f.path === target) ?? 'absent';
}

/**
 * The files the mounts put under `dir` (in path order), and whether a mount the input cannot
 * show also puts files there (`unseen`).
 */
export function mountedFilesUnder(
  c: Container,
  podSpec: Record<string, unknown>,
  namespace: string,
  objects: readonly KubeObject[],
  dir: string,
): { files: MountedFile[]; unseen: boolean } {
  const target = trimSlash(dir);
  const relevant = contentsOf(c, podSpec, namespace, objects).filter((x) => within(x.mountPath, target) || within(target, x.mountPath));
  const unseen = relevant.some((x) => 'unseen' in x);
  const files = relevant.flatMap((x) => ('files' in x ? x.files.filter((f) => within(f.path, target)) : [])).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, unseen };
}

/** Every file the ConfigMaps of the input put into the container, wherever it is mounted. */
export function mountedConfigMapFiles(c: Container, podSpec: Record<string, unknown>, namespace: string, objects: readonly KubeObject[]): MountedFile[] {
  return contentsOf(c, podSpec, namespace, objects).flatMap((x) => ('files' in x ? x.files : []));
}
