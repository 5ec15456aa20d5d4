export { startLoad, POD_HEADER, type LoadOptions, type LoadRun, type LoadResult, type RequestRecord, type LoadTick } from './generator.js';
export { classifyError, classifyStatus, errorCode, ERROR_CLASS_BY_CODE, type ClassifiedFailure } from './error-class.js';
export {
  decideVerdict,
  secondsWithoutLoad,
  DEFAULT_MIN_RATE_RATIO,
  MIN_REQUESTS_FOR_PASS,
  type Verdict,
  type VerdictInput,
  type VerdictKind,
} from './verdict.js';
export { assessGeneratorHealth, DEFAULT_HEALTH_THRESHOLDS, type GeneratorHealth, type HealthThresholds } from './health.js';
export { MsHistogram, summariseMs, type LatencySummary } from './latency.js';
export { intendedOffsetMs, dueCount, plannedRequests } from './schedule.js';
