/**
 * Upload URLs for CSV ingest. `POST .../collections/:id/data` with
 * `Content-Type: text/csv` hands out `PUT /v1/:org/uploads/:uploadId?token=`
 * (like a pre-signed storage URL): the token is 256 random bits, stored
 * only as its SHA-256 hash with the upload, valid for `UPLOAD_TTL_MS` and
 * for one upload. The URL alone authorizes the upload, so it can be handed
 * to a tool that has no API token.
 */
import { COLLECTION_ID } from "../model/limits";
import { base64url, randomBytes, sha256Hex, toHex } from "../../platform/encoding";

/** How long an upload URL stays valid. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** Largest CSV file accepted (bytes). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const HEX = /^[0-9a-f]{32}$/;

/** A new upload id: the collection id, a dot, and 128 random bits. */
export function newUploadId(collectionId: string): string {
  return `${collectionId}.${toHex(randomBytes(16))}`;
}

/** The collection id inside an upload id, or null when the id is malformed. */
export function collectionOfUpload(uploadId: string): string | null {
  const [collection, random, ...rest] = uploadId.split(".");
  if (rest.length || !collection || !random || !COLLECTION_ID.test(collection) || !HEX.test(random)) return null;
  return collection;
}

/** A new upload token (256 random bits, base64url). */
export function newUploadToken(): string {
  return base64url(randomBytes(32));
}

/** The stored form of an upload token: SHA-256, hex. */
export async function hashUploadToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** Where an upload's file is kept in the `UPLOADS` bucket. */
export function uploadObjectKey(cid: string, uploadId: string): string {
  return `collections/${cid}/${uploadId}.csv`;
}

/** The upload URL handed out in `Location` (`base` is the worker's origin plus any path prefix). */
export function uploadUrl(base: string, org: string, uploadId: string, token: string): string {
  return `${base}/v1/${encodeURIComponent(org)}/uploads/${uploadId}?token=${token}`;
}
