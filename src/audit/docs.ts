/**
 * Where rule pages live: `docs/rules/<id>.md` in the package (shipped via package.json "files"),
 * and the same page on the web for SARIF helpUri and terminal links.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { version } from '../version.js';

/** The project's public repository. */
export const REPOSITORY_URL = 'https://github.com/zerodrop-dev/zerodrop';

/**
 * Where rule pages are read on the web: `docs/rules/` of the repository at this version's release
 * tag, so a link always shows the rule as the running version checks it. `--docs-base-url`
 * (or `docsBaseUrl` in .zerodrop.yaml) points elsewhere, e.g. an internal mirror.
 */
export const DEFAULT_RULES_BASE_URL = `${REPOSITORY_URL}/blob/v${version}/docs/rules`;

/** `<base>/<id>.md`. */
export function ruleDocsUrl(id: string, base: string = DEFAULT_RULES_BASE_URL): string {
  return `${base.replace(/\/+$/, '')}/${id}.md`;
}

/** docs/ of this package, from src/audit or dist/audit alike. */
function docsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
}

export function ruleDocsPath(id: string): string {
  return join(docsDir(), 'rules', `${id}.md`);
}

/** The rule's page, or undefined when the package lacks it. */
export function readRuleDocs(id: string): string | undefined {
  const p = ruleDocsPath(id);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}
