#!/usr/bin/env node
// Writes docs/errors.md from the error catalogue (src/errors/catalogue.ts), through the built
// renderer: `npm run docs:errors` builds first. test/cli/errors-doc.test.ts fails when the
// committed page differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorsPage } from '../dist/errors/errorsPage.js';

const page = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
writeFileSync(page, renderErrorsPage());
console.log(`wrote ${page}`);
