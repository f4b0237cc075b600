/**
 * CSV import of content documents as a job, one chunk at a time (like the
 * collections' CSV uploads): the file is staged in R2, and each step reads
 * the next byte range, parses the complete records in it, maps the header
 * with `csvMapping` (url, title, description, image, author, published,
 * keywords, topics and their aliases) and turns each record into a
 * document input. Bad records are reported with their line number and
 * skipped; the others are imported. The content object runs the first step
 * in the upload's request (so a bad header is refused at once) and the
 * rest in its alarm, a step per alarm. Pure: no storage here.
 */
import { csvChunk, newCsvJobProgress, takeHeader } from "../../platform/csv-chunks";
import type { ContentProblem, ContentSettings, ImportJob, ImportProblem } from "../contract";

export type { ImportJob, ImportState } from "../contract";
import { csvMapping, csvRecordToInput } from "./csv-mapping";
import type { DocumentInput } from "../documents/input";
import { canonicalizeUrl } from "../documents/url";

/** Bytes read from R2 per step. A record longer than this is refused. */
export const IMPORT_CHUNK_BYTES = 256 * 1024;
/** Largest CSV file accepted (bytes). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Problems reported per import (all are counted). */
export const MAX_IMPORT_ERRORS = 1000;
/** Failed attempts of a step before the import is marked failed. */
export const MAX_IMPORT_ATTEMPTS = 5;

/** A new import of a file of `size` bytes staged at `key`. */
export function newImportJob(id: string, key: string, size: number, now: number): ImportJob {
  return { id, key, state: "queued", ...newCsvJobProgress<ImportProblem>(size, now) };
}

/** What one step found. */
export interface ImportStep {
  job: ImportJob;
  /** Good records as document inputs, with their lines. */
  inputs: DocumentInput[];
  lines: number[];
  /** The file is fully read (or the import failed). */
  done: boolean;
  /** Why the header was refused (the import failed on its first step). */
  headerProblems?: ContentProblem[];
}

/** Adds problems to the job's report (bounded) and counts them. */
export function reportProblems(job: ImportJob, problems: ImportProblem[]): void {
  job.errorsTotal += problems.length;
  for (const p of problems) if (job.errors.length < MAX_IMPORT_ERRORS) job.errors.push(p);
}

function fail(job: ImportJob, message: string, now: number, headerProblems?: ContentProblem[]): ImportStep {
  return {
    job: { ...job, state: "failed", message, finished: now },
    inputs: [],
    lines: [],
    done: true,
    ...(headerProblems ? { headerProblems } : {}),
  };
}

/**
 * Processes the next chunk: `bytes` are the file's bytes from `job.offset`
 * (at most IMPORT_CHUNK_BYTES), `final` when they reach its end.
 */
export function importStep(
  job: ImportJob,
  bytes: Uint8Array,
  final: boolean,
  settings: Partial<ContentSettings>,
  now: number,
): ImportStep {
  const next: ImportJob = { ...job, errors: [...job.errors], state: "processing", started: job.started ?? now };
  const chunk = csvChunk(bytes, final, job.line, IMPORT_CHUNK_BYTES);
  if (!chunk.ok) return fail(next, chunk.message, now);
  next.offset += chunk.consumedBytes;
  next.line = chunk.nextLine;
  let records = chunk.records;
  if (!next.header) {
    const found = takeHeader(records, chunk.problems, final);
    if (found.state === "pending") return { job: next, inputs: [], lines: [], done: false };
    if (found.state === "refused") {
      const problem = found.message.startsWith("the header line")
        ? { path: "line 1", message: found.message }
        : { message: found.message };
      return fail(next, found.message, now, [problem]);
    }
    const mapping = csvMapping(found.fields);
    if (!mapping.ok) {
      const problems = mapping.problems.map((p) => ({ ...p, message: `line 1: ${p.message}` }));
      return fail(next, problems.map((p) => p.message).join("; "), now, problems);
    }
    next.header = found.fields;
    next.ignoredColumns = mapping.value.ignored;
    records = found.records;
  }
  const header = next.header;
  const mapping = csvMapping(header);
  if (!mapping.ok) return fail(next, "the stored header no longer maps", now);
  const problems: ImportProblem[] = [...chunk.problems];
  let failed = chunk.problems.length;
  const inputs: DocumentInput[] = [];
  const lines: number[] = [];
  for (const record of records) {
    if (record.fields.length !== header.length) {
      failed++;
      problems.push({
        line: record.line,
        message: `${record.fields.length} values, but the header has ${header.length} columns`,
      });
      continue;
    }
    const r = csvRecordToInput(mapping.value, record.fields);
    if (r.ok && canonicalizeUrl(r.value.url, settings) === null) {
      failed++;
      problems.push({ line: record.line, path: "url", message: "not an http(s) URL" });
    } else if (r.ok) {
      inputs.push(r.value);
      lines.push(record.line);
    } else {
      failed++;
      problems.push(...r.problems.map((p) => ({ line: record.line, ...p })));
    }
  }
  reportProblems(
    next,
    problems.sort((a, b) => a.line - b.line),
  );
  next.rowsFailed += failed;
  if (final) {
    next.state = "done";
    next.finished = now;
  }
  return { job: next, inputs, lines, done: final };
}
