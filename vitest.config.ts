import { defineConfig } from 'vitest/config';

// Tests start real processes, sockets and signals on a 2-core machine: keep file-level
// parallelism low so timing assertions measure our code, not the scheduler.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    // picocolors colours output whenever CI is set, and tests compare exact text from the
    // processes they start: every child inherits NO_COLOR. Tests of colour pass it explicitly.
    env: { NO_COLOR: '1' },
  },
});
