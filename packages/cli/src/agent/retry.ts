/** A request error that is worth retrying: the server could not be reached, timed out, or failed (5xx, 408, 429). */
export function isTransient(error: unknown): boolean {
  const status = (error as { status?: unknown })?.status;
  if (typeof status !== 'number') return true; // not an HTTP answer at all (network, DNS, abort)
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

export interface RetryOptions {
  /** Give up after this many milliseconds of failures (the last error is thrown). */
  deadlineMs: number;
  /** First wait; doubled after each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called on each transient failure before waiting (for a warning). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Resolves early to abandon waiting (the error is then thrown). */
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Call `fn` until it succeeds, a non-transient error occurs, or `deadlineMs` has passed; the waits
 * grow exponentially (250 ms, 500 ms, 1 s, … 10 s). Only transient errors are retried.
 */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const start = Date.now();
  let delay = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 10_000;
  const wait = opts.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error) || Date.now() - start + delay > opts.deadlineMs) throw error;
      opts.onRetry?.(error, attempt, delay);
      await wait(delay);
      delay = Math.min(max, delay * 2);
    }
  }
}
