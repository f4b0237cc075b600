/**
 * Background processing of an uploaded CSV file, one chunk per step (the
 * collection object runs a step per alarm): read the next byte range from
 * R2, parse complete records, convert cells to the schema's types, check
 * rows and foreign keys. Good rows are returned to be stored; bad rows are
 * reported with their line numbers and skipped.
 */
import { fromCsvCell, isNullable } from "../codecs/avro";
import { type CsvJobProgress, csvChunk, takeHeader } from "../../platform/csv-chunks";
import { missingReferences, prepareRow, type IngestTarget, type KeyLookup, type PreparedRow } from "./prepare";

/** Bytes read from R2 per step. A record longer than this is refused. */
export const CSV_CHUNK_BYTES = 1024 * 1024;
/** Row errors kept in the upload's report (all are counted). */
export const MAX_REPORTED_ERRORS = 1000;
/** Failed attempts of a step before the upload is marked failed. */
export const MAX_ATTEMPTS = 5;

/** States of an upload. */
export type UploadState = "awaiting_upload" | "receiving" | "queued" | "processing" | "done" | "failed";

/** A problem with one line of an upload. */
export interface UploadError {
  line: number;
  path?: string;
  message: string;
}

/** An upload and its processing progress (`size`: bytes of the file, once uploaded). */
export interface UploadJob extends CsvJobProgress<UploadError> {
  id: string;
  collection: string;
  state: UploadState;
  expires: number;
}

/** The outcome of one step. */
export interface StepResult {
  job: UploadJob;
  rows: PreparedRow[];
  /** Whether the file is fully processed (or failed). */
  done: boolean;
}

function fail(job: UploadJob, message: string, now: number): StepResult {
  return { job: { ...job, state: "failed", message, finished: now }, rows: [], done: true };
}

function addErrors(job: UploadJob, errors: UploadError[]): void {
  job.errorsTotal += errors.length;
  for (const e of errors) if (job.errors.length < MAX_REPORTED_ERRORS) job.errors.push(e);
}

/** Checks the header line against the schema: the primary key and every required field must have a column. */
function checkHeader(target: IngestTarget, header: string[]): string | null {
  const seen = new Set<string>();
  for (const h of header) {
    if (h === "") return "line 1: the header has an empty column name";
    if (seen.has(h)) return `line 1: the column "${h}" appears twice`;
    seen.add(h);
  }
  const pk = target.def.primaryKey!;
  if (!seen.has(pk)) return `line 1: the header has no column "${pk}" (the primary key)`;
  const missing = target.schema.fields
    .filter((f) => !seen.has(f.name) && !f.hasDefault && !isNullable(f.type))
    .map((f) => f.name);
  if (missing.length) return `line 1: the header lacks required columns: ${missing.join(", ")}`;
  return null;
}

/**
 * Processes the next chunk of `bytes` (the file's bytes from `job.offset`,
 * at most CSV_CHUNK_BYTES; `final` when they reach the end of the file).
 * `lookup` answers which referenced keys exist (the collection's own, for
 * self-references, and other collections'). Rows of the same step satisfy
 * references to this collection.
 */
export async function csvStep(
  target: IngestTarget,
  job: UploadJob,
  bytes: Uint8Array,
  final: boolean,
  lookup: KeyLookup,
  now = Date.now(),
): Promise<StepResult> {
  const next: UploadJob = { ...job, errors: [...job.errors], state: "processing", started: job.started ?? now };
  const chunk = csvChunk(bytes, final, job.line, CSV_CHUNK_BYTES);
  if (!chunk.ok) return fail(next, chunk.message, now);
  next.offset += chunk.consumedBytes;
  next.line = chunk.nextLine;
  const stepErrors: UploadError[] = [...chunk.problems];
  next.rowsFailed += chunk.problems.length;

  let records = chunk.records;
  if (!next.header) {
    const found = takeHeader(records, chunk.problems, final);
    if (found.state === "refused") return fail(next, found.message, now);
    if (found.state === "pending") return { job: next, rows: [], done: false };
    const header = found.fields.map((h) => h.trim());
    const problem = checkHeader(target, header);
    if (problem) return fail(next, problem, now);
    next.header = header;
    const known = new Set(target.schema.fields.map((f) => f.name));
    next.ignoredColumns = header.filter((h) => !known.has(h));
    records = found.records;
  }
  const header = next.header;
  const fields = header.map((h) => target.schema.fields.find((f) => f.name === h) ?? null);
  const rows: PreparedRow[] = [];
  const lines: number[] = [];
  for (const record of records) {
    if (record.fields.length !== header.length) {
      stepErrors.push({
        line: record.line,
        message: `${record.fields.length} values, but the header has ${header.length} columns`,
      });
      next.rowsFailed++;
      continue;
    }
    const raw: Record<string, unknown> = {};
    const cellErrors: UploadError[] = [];
    fields.forEach((f, i) => {
      if (!f) return;
      const cell = record.fields[i]!;
      if (cell === "" && f.hasDefault) return; // the default applies
      const converted = fromCsvCell(f.type, cell);
      if (converted.ok) raw[f.name] = converted.value;
      else cellErrors.push({ line: record.line, path: f.name, message: converted.message });
    });
    const prepared = cellErrors.length ? null : prepareRow(target, raw, "");
    if (!prepared || !prepared.ok) {
      const errs =
        prepared && !prepared.ok
          ? prepared.errors.map((e) => ({ line: record.line, path: e.path, message: e.message }))
          : cellErrors;
      stepErrors.push(...errs);
      next.rowsFailed++;
      continue;
    }
    rows.push(prepared.row);
    lines.push(record.line);
  }
  const pending = new Map([[target.def.id, new Set(rows.map((r) => r.key))]]);
  const missing = await missingReferences(rows, pending, lookup);
  const good = rows.filter((_, i) => !missing.has(i));
  for (const [i, errs] of missing)
    stepErrors.push(...errs.map((e) => ({ line: lines[i]!, path: e.path, message: e.message })));
  addErrors(
    next,
    stepErrors.sort((a, b) => a.line - b.line),
  );
  next.rowsFailed += missing.size;
  next.rowsOk += good.length;
  const done = final;
  if (done) {
    next.state = "done";
    next.finished = now;
  }
  return { job: next, rows: good, done };
}
