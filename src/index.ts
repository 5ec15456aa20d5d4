export { version } from './version.js';
export * as audit from './audit/index.js';
