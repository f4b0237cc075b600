/**
 * Standard Webhooks signatures with WebCrypto: `webhook-signature` is
 * `v1,` + base64(HMAC-SHA256(secret, "<id>.<timestamp>.<body>")), one per
 * active secret, separated by spaces (several during a rotation).
 */

const PREFIX = "whsec_";

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** A new signing secret: `whsec_` + base64 of 24 random bytes. */
export function newSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

/** True when `secret` looks like a `whsec_` secret this module can use. */
export function isSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) return false;
  try {
    return fromBase64(secret.slice(PREFIX.length)).length >= 16;
  } catch {
    return false;
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      fromBase64(secret.slice(PREFIX.length)),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** One `v1,<base64>` signature of a message with one secret. */
export async function signOnce(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await keyOf(secret),
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  );
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/**
 * The Standard Webhooks headers of a request: `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature` with one
 * signature per secret (newest first).
 */
export async function signatureHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => signOnce(s, id, timestamp, body)));
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signatures.join(" ") };
}
