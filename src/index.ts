// The library surface. The in-app shutdown library has its own zero-dependency subpath
// (`zerodrop/graceful`); the cluster layer stays out of this entry so importing zerodrop does not
// load @kubernetes/client-node (see src/cli/rollout.ts).
export { version } from './version.js';
export { ZerodropError, ExitCode, ERROR_CATALOGUE, LEGACY_ERROR_CODES, hasErrorCode, type ErrorCode, type ErrorEntry } from './errors.js';
export * as audit from './audit/index.js';
export * as k8s from './k8s/index.js';
export * as load from './load/index.js';
export * as report from './report/index.js';
