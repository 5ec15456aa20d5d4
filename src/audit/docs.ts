/**
 * Where rule pages live: `docs/rules/<id>.md` in the package (shipped via package.json "files"),
 * and the same page on the web for SARIF helpUri and terminal links.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Public home of the docs; helpUri = `${DOCS_BASE_URL}/rules/<id>.md`. */
export const DOCS_BASE_URL = 'https://github.com/zerodrop-dev/zerodrop/blob/main/docs';

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}/rules/${id}.md`;
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
