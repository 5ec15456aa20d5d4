// The audit as a library: audit paths or texts, format results, build fixes.
export { auditPaths, auditExitCode, type AuditPathsOptions } from './audit.js';
export { runAudit, type AuditRun, type DetailedFinding, type RunOptions } from './runner.js';
export { collectSources, type Source } from './sources.js';
export { defaultSettings } from './settings.js';
export { allRules, ruleById, ruleMetas } from './rules/index.js';
export { formatJson, toJsonReport, type JsonReport, type JsonFinding } from './format/json.js';
export { formatSarif, toSarif } from './format/sarif.js';
export { formatText } from './format/text.js';
export { collectFixes, formatFixPatches, type WorkloadFix } from './fix/patches.js';
export { loadConfig, parseConfig, type AuditConfig } from './config.js';
export type * from './types.js';
