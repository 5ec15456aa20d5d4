import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_DOWN, removesAllAtOnce, scaleDownBehaviorOf } from './hpaBehavior.js';

// docs/reference/autoscaling.md#scale-down: autoscaling/v2 HPAScalingRules defaults.
describe('scaleDownBehaviorOf', () => {
  it('without scaleDown: a 300 s window, 100 % every 15 s, Max', () => {
    expect(scaleDownBehaviorOf(undefined)).toEqual(DEFAULT_SCALE_DOWN);
    expect(scaleDownBehaviorOf({ scaleUp: { stabilizationWindowSeconds: 0 } })).toEqual(DEFAULT_SCALE_DOWN);
  });

  it('a written scaleDown keeps the default window when it writes none, and its policies replace the default', () => {
    const b = scaleDownBehaviorOf({ scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } });
    expect(b).toMatchObject({
      stabilizationWindowSeconds: 300,
      windowWritten: false,
      policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
      policiesWritten: true,
    });
  });

  it('a written window of 0', () => {
    expect(scaleDownBehaviorOf({ scaleDown: { stabilizationWindowSeconds: 0 } })).toMatchObject({
      stabilizationWindowSeconds: 0,
      windowWritten: true,
      policies: DEFAULT_SCALE_DOWN.policies,
    });
  });

  it('removes every pod above the minimum in one period: 100 %, or Pods at least the span; Min needs all policies to', () => {
    expect(removesAllAtOnce(DEFAULT_SCALE_DOWN, 10)).toBe(true);
    const pods = scaleDownBehaviorOf({ scaleDown: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } });
    expect([removesAllAtOnce(pods, 4), removesAllAtOnce(pods, 5)]).toEqual([true, false]);
    const min = scaleDownBehaviorOf({
      scaleDown: {
        selectPolicy: 'Min',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 1, periodSeconds: 60 },
        ],
      },
    });
    expect(removesAllAtOnce(min, 5)).toBe(false);
  });
});
