/**
 * The chunk loop shared by the CSV jobs (content imports, collection
 * uploads): a file staged in R2 is read one byte range per step, decoded
 * as UTF-8 across chunk boundaries and cut into complete CSV records; the
 * job keeps the byte offset and the line number the next step starts at.
 * A record longer than a chunk is refused (the job cannot advance).
 */
import { type CsvRecord, parseCsvChunk } from "./csv";

/** The next byte range of a staged file, or `missing` when the file is gone. */
export type StagedChunk = { ok: true; bytes: Uint8Array; final: boolean } | { ok: false; missing: true };

/** What the chunk reader needs of a bucket (an `R2Bucket`). */
export interface RangeReader {
  get(
    key: string,
    options: { range: { offset: number; length: number } },
  ): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

/** Reads up to `chunkBytes` of the staged file `key` (`size` bytes) from `offset`. */
export async function readStagedChunk(
  bucket: RangeReader,
  key: string,
  offset: number,
  size: number,
  chunkBytes: number,
): Promise<StagedChunk> {
  const length = Math.min(chunkBytes, size - offset);
  if (length <= 0) return { ok: true, bytes: new Uint8Array(0), final: true };
  const object = await bucket.get(key, { range: { offset, length } });
  if (!object) return { ok: false, missing: true };
  return { ok: true, bytes: new Uint8Array(await object.arrayBuffer()), final: offset + length >= size };
}

/** A problem of one line (its message without the `line N: ` prefix). */
export interface LineProblem {
  line: number;
  message: string;
}

/** The complete records of a chunk and where the next one starts. */
export type CsvChunkResult =
  | {
      ok: true;
      records: CsvRecord[];
      /** Lines that are not valid CSV. */
      problems: LineProblem[];
      /** Bytes of the chunk consumed (the rest is read again with the next chunk). */
      consumedBytes: number;
      nextLine: number;
    }
  | { ok: false; message: string };

/**
 * Cuts `bytes` (the file from the job's offset; `final` when they reach its
 * end) into complete records, numbering lines from `line`.
 */
export function csvChunk(bytes: Uint8Array, final: boolean, line: number, chunkBytes: number): CsvChunkResult {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes, { stream: !final });
  } catch {
    return { ok: false, message: `line ${line}: the file is not valid UTF-8` };
  }
  const chunk = parseCsvChunk(text, { final, line });
  if (!final && chunk.consumed === 0)
    return { ok: false, message: `line ${line}: a record is longer than ${chunkBytes} bytes` };
  return {
    ok: true,
    records: chunk.records,
    problems: chunk.errors.map((e) => ({ line: e.line, message: e.message.replace(/^line \d+: /, "") })),
    consumedBytes: new TextEncoder().encode(text.slice(0, chunk.consumed)).length,
    nextLine: chunk.nextLine,
  };
}

/** What the first records of a file say about its header. */
export type HeaderFound =
  | { state: "header"; fields: string[]; records: CsvRecord[] }
  /** No complete record yet: read on. */
  | { state: "pending" }
  | { state: "refused"; message: string };

/** Takes the header line off the records of the chunk that holds it. */
export function takeHeader(records: CsvRecord[], problems: readonly LineProblem[], final: boolean): HeaderFound {
  const head = records[0];
  const broken = problems[0];
  if (broken && (!head || broken.line < head.line))
    return { state: "refused", message: `the header line is not valid CSV: line ${broken.line}: ${broken.message}` };
  if (!head) return final ? { state: "refused", message: "the file has no header line" } : { state: "pending" };
  return { state: "header", fields: head.fields, records: records.slice(1) };
}

/** The progress and report of a CSV job, as the job records of both domains store it. */
export interface CsvJobProgress<Problem> {
  /** Bytes of the file. */
  size: number;
  /** Bytes processed. */
  offset: number;
  /** Line the next record starts on (the header is line 1). */
  line: number;
  /** The header's cells (once read). */
  header: string[] | null;
  ignoredColumns: string[];
  rowsOk: number;
  rowsFailed: number;
  /** The first problems, by line (the report is bounded). */
  errors: Problem[];
  /** Problems found in all. */
  errorsTotal: number;
  attempts: number;
  /** Why the job failed as a whole. */
  message: string | null;
  created: number;
  started: number | null;
  finished: number | null;
}

/** The progress of a job that has read nothing of its file of `size` bytes yet. */
export function newCsvJobProgress<Problem>(size: number, now: number): CsvJobProgress<Problem> {
  return {
    size,
    offset: 0,
    line: 1,
    header: null,
    ignoredColumns: [],
    rowsOk: 0,
    rowsFailed: 0,
    errors: [],
    errorsTotal: 0,
    attempts: 0,
    message: null,
    created: now,
    started: null,
    finished: null,
  };
}
