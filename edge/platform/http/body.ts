import type { Context } from "hono";
import { badRequest, tooLarge, unsupportedType } from "./errors";

/** Largest body a browser collect call may send (bytes). */
export const COLLECT_BODY_LIMIT = 256 * 1024;
/** Largest body of a management API call (bytes). */
export const API_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the request body as text, refusing more than `limit` bytes with 413
 * whether or not the client declared a Content-Length.
 */
export async function readText(c: Context, limit: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > limit) throw tooLarge(`request body is larger than ${limit} bytes`);
  const body = c.req.raw.body;
  if (!body) return "";
  // A declared length within the limit is what the runtime delivers: read it at once.
  if (c.req.header("content-length") !== undefined) return decodeUtf8(new Uint8Array(await c.req.raw.arrayBuffer()));
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(`request body is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return decodeUtf8(all);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badRequest("request body is not valid UTF-8");
  }
}

/** Media type of the request without parameters, lower-cased ("" if none). */
export function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Parses JSON text, turning a syntax error into a 400 naming the problem. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest("request body is not valid JSON", [{ message: (err as Error).message }]);
  }
}

/** Reads a JSON body of a management call: requires a JSON content type. */
export async function readJson(c: Context, limit = API_BODY_LIMIT): Promise<unknown> {
  const type = mediaType(c);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw unsupportedType(`expected Content-Type application/json, got ${type || "none"}`);
  }
  return parseJson(await readText(c, limit));
}
