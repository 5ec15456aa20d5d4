/**
 * Waits for the kubelet model, on the clock it reads: performance.now().
 *
 * Node arms timers on libuv's loop clock, which counts whole milliseconds and lags
 * performance.now(), so a bare setTimeout(1000) regularly runs after 999.x ms as performance.now()
 * measures it. The kubelet truncates a hook's elapsed time to whole seconds
 * (docs/reference/pod-termination.md#grace-arithmetic): a 1 s preStop measured as 0.999 s would
 * subtract nothing and grant the whole grace period again after the stop signal. These timers
 * re-arm for whatever is left, so they never end before their time on that clock.
 *
 * They only race a child process's exit or a hook; they must not keep the lab alive once every pod
 * is gone (a 30 s SIGKILL deadline would otherwise hold the CLI open after the last run), so they
 * are unref'd.
 */

/** Resolves once performance.now() ≥ `deadline`, or at once when `abort` fires. */
export function sleepUntil(deadline: number, abort?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      abort?.removeEventListener('abort', done);
      resolve();
    };
    const arm = (left: number): void => {
      timer = setTimeout(wait, Math.max(0, Math.ceil(left)));
      timer.unref();
    };
    const wait = (): void => {
      const left = deadline - performance.now();
      if (left <= 0 || abort?.aborted) return done();
      arm(left);
    };
    if (abort?.aborted) return done();
    abort?.addEventListener('abort', done, { once: true });
    // Always through one timer turn, even for a deadline already passed, as a plain setTimeout would.
    arm(deadline - performance.now());
  });
}

/** Resolves once `ms` milliseconds have passed on performance.now(). */
export const sleep = (ms: number, abort?: AbortSignal): Promise<void> => sleepUntil(performance.now() + ms, abort);
