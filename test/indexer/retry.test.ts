import { forEachLimited } from '../../lambda/indexer/concurrency';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../../lambda/indexer/retry';

describe('backoffDelayMs (full jitter)', () => {
  const policy = { baseDelayMs: 20, maxDelayMs: 1000, maxAttempts: 30 };

  test('the ceiling doubles per attempt up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 5, 6, 10, 40].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999999));
    expect(ceilings).toEqual([19, 39, 79, 159, 639, 999, 999, 999]);
  });

  test('the delay is spread uniformly below the ceiling', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(80);
    const samples = Array.from({ length: 2000 }, () => backoffDelayMs(4, policy));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(320);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });

  test('the default policy gives up within a minute of waiting', () => {
    let worst = 0;
    for (let attempt = 0; attempt < DEFAULT_RETRY_POLICY.maxAttempts - 1; attempt++) {
      worst += backoffDelayMs(attempt, DEFAULT_RETRY_POLICY, () => 0.999999);
    }
    expect(worst).toBeLessThan(60_000);
  });
});

describe('forEachLimited', () => {
  test('never more than the limit in flight, every item done once', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
        inFlight -= 1;
        done.push(i);
      },
    );
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test('pulls lazily from an async iterable', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled += 1;
        yield i;
      }
    }
    let maxAhead = 0;
    let finished = 0;
    await forEachLimited(source(), 3, async () => {
      maxAhead = Math.max(maxAhead, pulled - finished);
      await Promise.resolve();
      finished += 1;
    });
    expect(finished).toBe(1000);
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  test('the first failure stops new work and is rethrown after the work in flight', async () => {
    const started: number[] = [];
    let settled = 0;
    await expect(
      forEachLimited([1, 2, 3, 4, 5, 6, 7, 8], 2, async (i) => {
        started.push(i);
        await new Promise((resolve) => setTimeout(resolve, 5));
        settled += 1;
        if (i === 2) throw new Error('boom at 2');
      }),
    ).rejects.toThrow('boom at 2');
    expect(started.length).toBeLessThan(8);
    expect(settled).toBe(started.length);
  });
});
