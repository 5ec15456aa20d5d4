#!/usr/bin/env node
// Rewrites the grouped rule tables of docs/rules/README.md from the rule metas (their looksAt
// groups, src/audit/ruleGroups.ts), through the build: run `npm run build` first.
// src/audit/rules/groups.test.ts fails when the committed tables differ from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ruleMetas } from '../dist/audit/rules/index.js';
import { withRulesMarkdown } from '../dist/audit/rulesList.js';

const readme = fileURLToPath(new URL('../docs/rules/README.md', import.meta.url));
writeFileSync(readme, withRulesMarkdown(readFileSync(readme, 'utf8'), ruleMetas()));
console.log(`wrote ${readme}`);
