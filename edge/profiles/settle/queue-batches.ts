/**
 * Cloudflare Queues' limits on one `sendBatch` call
 * (https://developers.cloudflare.com/queues/platform/limits/): at most 100
 * messages and 256 KB in all, each message at most 128 KB. A batch over a
 * limit is refused as a whole, so an outbox page sent in one call could be
 * refused on every retry once its messages add up to more than 256 KB.
 */
export const QUEUE_BATCH_LIMITS = { messages: 100, bytes: 256_000, messageBytes: 128_000 } as const;

/**
 * Room kept per message for what the queue adds to each body when it counts
 * a batch's size (ids, content type, timestamps).
 */
export const PER_MESSAGE_OVERHEAD = 100;

const encoder = new TextEncoder();

/** The UTF-8 size of a message body (a JSON string), as the queue counts it. */
export function bodyBytes(body: string): number {
  // ASCII bodies (the common case) are one byte per character: no encoding pass needed.
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) > 0x7f) return encoder.encode(body).byteLength;
  return body.length;
}

/**
 * Splits rows, in order, into consecutive batches each within the queue's
 * count and size limits. A single message over the per-message limit gets a
 * batch of its own (the queue refuses it; the messages before it still go).
 */
export function queueBatches<T extends { body: string }>(rows: readonly T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  let holdsOversize = false;
  for (const row of rows) {
    const size = bodyBytes(row.body) + PER_MESSAGE_OVERHEAD;
    const oversize = size > QUEUE_BATCH_LIMITS.messageBytes;
    const full = batch.length >= QUEUE_BATCH_LIMITS.messages || bytes + size > QUEUE_BATCH_LIMITS.bytes;
    if (batch.length && (full || oversize || holdsOversize)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
    holdsOversize = oversize;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
