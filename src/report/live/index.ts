export { createLiveView, type LiveView, type LiveViewOptions, type LiveOutput } from './createLiveView.js';
export { applyLiveEvent, createLiveState, type LiveState, type LivePod } from './liveState.js';
export { renderLivePanel } from './livePanel.js';
export { plainLine, FailureSummariser } from './livePlain.js';
