/**
 * The CSV upload flow between HTTP and the collection object: handing out
 * an upload URL's token, and receiving the file into the `UPLOADS` bucket
 * before the object processes it in the background. Throws `ApiError`s.
 */
import { findAccount } from "../../accounts/settings/config";
import type { Env } from "../../platform/env";
import { ApiError, notFound, tooLarge, unprocessable } from "../../platform/http/errors";
import type { UploadJob } from "./csv-job";
import type { CollectionDef } from "../model/collection";
import { unwrap } from "../service";
import { collectionStub } from "../stubs";
import {
  collectionOfUpload,
  hashUploadToken,
  MAX_UPLOAD_BYTES,
  newUploadId,
  newUploadToken,
  UPLOAD_TTL_MS,
  uploadObjectKey,
} from "./uploads";

/** A started upload: its id, the one-time token of its URL, and its job. */
export interface StartedUpload {
  uploadId: string;
  token: string;
  job: UploadJob;
}

/** Opens an upload for a collection (422 without a primary key, 404 when the collection is gone). */
export async function startUpload(env: Env, cid: string, def: CollectionDef, ref: string): Promise<StartedUpload> {
  if (!def.primaryKey)
    throw unprocessable(`collection "${def.name}" has no primary key; set one before storing data`, [
      { path: "primaryKey", message: "required before data is stored" },
    ]);
  const uploadId = newUploadId(def.id);
  const token = newUploadToken();
  const job = await collectionStub(env, cid, def.id).createUpload(
    uploadId,
    await hashUploadToken(token),
    Date.now() + UPLOAD_TTL_MS,
  );
  if (!job) throw notFound(`no collection "${ref}"`);
  return { uploadId, token, job };
}

/**
 * Receives an upload's file: checks the URL's token and the declared size
 * (411 without Content-Length, 413 past the limit), stores the body in the
 * bucket and queues the job. 404 for an unknown account or upload, or a
 * wrong token.
 */
export async function receiveUpload(
  env: Env,
  cid: string,
  uploadId: string,
  token: string | undefined,
  declared: string | undefined,
  body: ReadableStream | null,
): Promise<UploadJob> {
  const collId = collectionOfUpload(uploadId);
  if (!collId || !token || !(await findAccount(env, cid))) throw notFound("no upload with that id and token");
  if (declared === undefined || !/^\d+$/.test(declared))
    throw new ApiError(411, "send the file with a Content-Length header");
  const size = Number(declared);
  if (size > MAX_UPLOAD_BYTES) throw tooLarge(`a CSV upload may have at most ${MAX_UPLOAD_BYTES} bytes`);
  const stub = collectionStub(env, cid, collId);
  unwrap(await stub.claimUpload(uploadId, await hashUploadToken(token)));
  try {
    await env.UPLOADS.put(uploadObjectKey(cid, uploadId), size === 0 ? "" : body, {
      httpMetadata: { contentType: "text/csv" },
    });
  } catch (err) {
    await stub.uploadStored(uploadId, null);
    throw err;
  }
  const job = await stub.uploadStored(uploadId, size);
  if (!job) throw notFound("the collection was deleted");
  return job;
}

/** An upload's progress, or 404. */
export async function uploadStatus(env: Env, cid: string, uploadId: string): Promise<UploadJob> {
  const collId = collectionOfUpload(uploadId);
  const job = collId ? await collectionStub(env, cid, collId).uploadStatus(uploadId) : null;
  if (!job) throw notFound(`no upload "${uploadId}"`);
  return job;
}
