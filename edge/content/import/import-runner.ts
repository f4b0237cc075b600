/**
 * One step of a CSV import inside the content object: read the next chunk
 * of the staged file from R2, parse it (import-job.ts), write its documents
 * and record the progress. The file is deleted when the import ends (or
 * its header is refused).
 */
import { readStagedChunk } from "../../platform/csv-chunks";
import type { ContentSettings, DocumentWrite } from "../contract";
import type { DocumentInput } from "../documents/input";
import type { ImportStore } from "../storage/import-store";
import { IMPORT_CHUNK_BYTES, type ImportJob, type ImportStep, importStep } from "./import-job";

/** What a step needs of the object. */
export interface ImportHost {
  uploads: R2Bucket;
  imports: ImportStore;
  settings(): ContentSettings;
  write(inputs: DocumentInput[]): DocumentWrite;
}

/** Reads, parses and writes the next chunk of `job`; stores its progress. */
export async function runImportStep(host: ImportHost, job: ImportJob): Promise<ImportStep> {
  const now = Date.now();
  const chunk = await readStagedChunk(host.uploads, job.key, job.offset, job.size, IMPORT_CHUNK_BYTES);
  const step: ImportStep = chunk.ok
    ? importStep(job, chunk.bytes, chunk.final, host.settings(), now)
    : {
        job: { ...job, state: "failed", message: "the uploaded file is missing", finished: now },
        inputs: [],
        lines: [],
        done: true,
      };
  if (step.headerProblems) {
    await host.uploads.delete(job.key);
    return step;
  }
  let next = step.job;
  if (step.inputs.length) {
    const written = host.write(step.inputs);
    if (written.ok) next = { ...next, rowsOk: next.rowsOk + step.inputs.length };
    else
      next = {
        ...next,
        state: "failed",
        rowsFailed: next.rowsFailed + step.inputs.length,
        message: `lines ${step.lines[0]}–${step.lines[step.lines.length - 1]} not stored: ${written.problems.map((p) => p.message).join("; ")}`,
        finished: now,
      };
  }
  next = { ...next, attempts: 0 };
  host.imports.save(next);
  const done = next.state === "done" || next.state === "failed";
  if (done) await host.uploads.delete(job.key);
  return { ...step, job: next, done };
}
