/**
 * A bounded, time-limited cache held in a worker isolate's memory.
 *
 * Isolates live for a while and serve many requests; caching what Durable
 * Objects answer keeps those objects off the hot path. Entries expire after
 * `ttlMs` (an expired entry stays readable through `peek` until evicted) and
 * the least recently used entry is evicted once `maxEntries` is reached (a
 * Map keeps insertion order: a hit re-inserts its key).
 */
export class IsolateCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  /**
   * @param ttlMs how long an entry is served after it was set
   * @param maxEntries how many entries are kept at most
   */
  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
  ) {}

  /** The live entry of `key`, or undefined when absent or expired. */
  get(key: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.expires <= now) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /**
   * The entry of `key` even when expired (until evicted), e.g. to ask its
   * source whether it changed since; undefined when absent.
   */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** True when `key` has a live entry (a cached `null` counts). */
  has(key: string, now = Date.now()): boolean {
    return this.get(key, now) !== undefined;
  }

  /** Stores `value` under `key` for `ttlMs` (or the given lifetime). */
  set(key: string, value: V, ttlMs = this.ttlMs, now = Date.now()): void {
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: now + ttlMs });
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Number of entries held (expired ones included until evicted). */
  get size(): number {
    return this.entries.size;
  }
}
