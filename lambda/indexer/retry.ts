/**
 * The backoff between attempts of a conditional index write that lost a race. Full jitter (a uniform delay in
 * [0, min(cap, base * 2^attempt))): concurrent writers on one prefix spread out instead of colliding again in
 * lock step, and the expected wait stays short while few writers compete.
 */

export interface RetryPolicy {
  /** Upper bound of the first delay. */
  readonly baseDelayMs: number;
  /** No delay grows beyond this. */
  readonly maxDelayMs: number;
  /** Attempts in total (the first one included) before the prefix is given up and its messages fail. */
  readonly maxAttempts: number;
}

/**
 * 30 attempts of at most 1 s after the first few: 20 instances writing the same prefix at once all get through
 * (measured in the concurrency test), and a hopeless prefix gives up in well under a minute, so SQS redelivers it.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 1000, maxAttempts: 30 };

/** The delay before attempt `attempt + 1` (attempt counts from 0). `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
