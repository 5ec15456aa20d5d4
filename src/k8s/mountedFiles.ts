/**
 * The files a container sees from the ConfigMaps of the input: each `volumeMounts` entry of a
 * `configMap` volume (or a `projected` one's configMap sources) puts every key, or the `items`
 * it lists, at `mountPath/<key or item path>`, and a `subPath` mount puts one key at the mount
 * path itself (https://kubernetes.io/docs/concepts/storage/volumes/#configmap). Pure: objects in,
 * file texts out; a ConfigMap the input does not hold gives no files.
 */
import { configMapNamed } from './configMaps.js';
import type { Container, KubeObject } from './objects.js';

export interface MountedFile {
  path: string;
  text: string;
  /** For messages: `ConfigMap app-config key application.yml`. */
  origin: string;
}

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** key → file name inside the volume, for one configMap source (all keys, or only the listed items). */
function projection(source: Rec, cm: KubeObject): Array<{ key: string; file: string; text: string }> {
  const data = isRecord((cm as Rec).data) ? ((cm as Rec).data as Rec) : {};
  const items = list(source.items);
  const pairs =
    items.length > 0 ? items.map((i) => ({ key: String(i.key), file: String(i.path ?? i.key) })) : Object.keys(data).map((k) => ({ key: k, file: k }));
  return pairs.flatMap((p) => (typeof data[p.key] === 'string' ? [{ ...p, text: data[p.key] as string }] : []));
}

export function mountedConfigMapFiles(c: Container, podSpec: Rec, namespace: string, objects: readonly KubeObject[]): MountedFile[] {
  const volumes = list(podSpec.volumes);
  const out: MountedFile[] = [];
  for (const m of list(c.volumeMounts)) {
    if (typeof m.mountPath !== 'string') continue;
    const mountPath = m.mountPath.replace(/\/+$/, '');
    const volume = volumes.find((v) => v.name === m.name);
    if (!volume) continue;
    const sources = isRecord(volume.configMap)
      ? [volume.configMap]
      : list(isRecord(volume.projected) ? volume.projected.sources : undefined).flatMap((s) => (isRecord(s.configMap) ? [s.configMap] : []));
    for (const source of sources) {
      if (typeof source.name !== 'string') continue;
      const cm = configMapNamed(objects, namespace, source.name);
      if (!cm) continue;
      for (const f of projection(source, cm)) {
        const origin = `ConfigMap ${source.name} key ${f.key}`;
        if (typeof m.subPath === 'string') {
          if (m.subPath === f.file) out.push({ path: mountPath, text: f.text, origin });
        } else out.push({ path: `${mountPath}/${f.file}`, text: f.text, origin });
      }
    }
  }
  return out;
}
