// Pure Kubernetes knowledge shared by audit and lab. No I/O here: given objects and assumptions,
// these functions return facts, each traced to a section of docs/reference/README.md.
export * from './intOrPercent.js';
export * from './apiDefaults.js';
export * from './fenceposts.js';
export * from './shutdownTimeline.js';
export * from './probes.js';
export * from './features.js';
export * from './imageRef.js';
export * from './imageTable.js';
export * from './images.js';
export * from './servers.js';
export * from './shells.js';
export * from './shellScript.js';
export * from './runtimes.js';
export * from './pid1.js';
export * from './signals.js';
export * from './objects.js';
export * from './rollingUpdate.js';
export * from './preStop.js';
export * from './disruptionBudget.js';
export * from './rolloutStatus.js';
export * from './endpointSlice.js';
