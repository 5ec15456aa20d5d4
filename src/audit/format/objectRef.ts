import type { Finding } from '../types.js';

/**
 * An object as written: `Deployment shop/web`, or `Deployment web` when the manifest names no
 * namespace (kubectl's `-n` decides it, so showing `default` would claim what the file does not say).
 */
export function objectRef(o: NonNullable<Finding['object']>, separator = ' '): string {
  return `${o.kind}${separator}${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}`;
}
