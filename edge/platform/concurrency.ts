/**
 * Bounded concurrency: run async work over many items without starting all
 * of it at once (a Worker has a limit of simultaneous subrequests, and a
 * Durable Object behind each call queues what it cannot serve).
 */

/**
 * Calls `work` on every item with at most `limit` calls in flight and
 * returns the results in the items' order. The first failure rejects (work
 * already started finishes; no new work starts).
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const runner = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, runner));
  return results;
}
