import assert from 'node:assert/strict';

/**
 * Waits until the condition holds, polling, and fails after `limitMs`: for what real I/O decides when (a receiver
 * answering, a retry timer firing). The assertion is the condition, never the time it took; the limit only ends a
 * test that would otherwise hang.
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  limitMs = 10_000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
