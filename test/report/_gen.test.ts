import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { allScenarioEvents, toNdjson } from './fixtures/rollingUpdateTimeline.js';
it('gen', () => {
  writeFileSync('test-output/events.ndjson', toNdjson(allScenarioEvents()));
});
