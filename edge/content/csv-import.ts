/**
 * CSV import of content documents: the header is mapped with `csvMapping`
 * (url, title, description, image, author, published, keywords, topics and
 * their common aliases), each record becomes a document input; bad records
 * are reported with their line and skipped, the others are imported.
 */
import { parseCsvChunk } from "../platform/csv";
import type { ContentProblem, ContentSettings, ImportProblem, ImportReport } from "./contract";
import { canonicalizeUrl } from "./url";
import { csvMapping, csvRecordToInput } from "./csv-mapping";
import type { DocumentInput } from "./schemas";

/** Problems reported per import (all are counted). */
export const MAX_IMPORT_ERRORS = 1000;

/** Parses a whole CSV text into document inputs and a report; a bad header refuses the file. */
export function importCsvText(
  text: string,
  settings: Partial<ContentSettings>,
): { ok: true; inputs: DocumentInput[]; report: ImportReport } | { ok: false; problems: ContentProblem[] } {
  const chunk = parseCsvChunk(text, { final: true });
  const head = chunk.records[0];
  if (!head) return { ok: false, problems: [{ message: "the file has no header line" }] };
  const headErr = chunk.errors.find((e) => e.line < head.line);
  if (headErr) return { ok: false, problems: [{ path: "line 1", message: headErr.message }] };
  const mapping = csvMapping(head.fields);
  if (!mapping.ok)
    return { ok: false, problems: mapping.problems.map((p) => ({ ...p, message: `line 1: ${p.message}` })) };
  const errors: ImportProblem[] = chunk.errors.map((e) => ({
    line: e.line,
    message: e.message.replace(/^line \d+: /, ""),
  }));
  let failed = chunk.errors.length;
  const inputs: DocumentInput[] = [];
  for (const record of chunk.records.slice(1)) {
    if (record.fields.length !== head.fields.length) {
      failed++;
      errors.push({
        line: record.line,
        message: `${record.fields.length} values, but the header has ${head.fields.length} columns`,
      });
      continue;
    }
    const r = csvRecordToInput(mapping.value, record.fields);
    if (r.ok && canonicalizeUrl(r.value.url, settings) === null) {
      failed++;
      errors.push({ line: record.line, path: "url", message: "not an http(s) URL" });
    } else if (r.ok) inputs.push(r.value);
    else {
      failed++;
      errors.push(...r.problems.map((p) => ({ line: record.line, ...p })));
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return {
    ok: true,
    inputs,
    report: {
      rowsOk: inputs.length,
      rowsFailed: failed,
      errors: errors.slice(0, MAX_IMPORT_ERRORS),
      ignoredColumns: mapping.value.ignored,
    },
  };
}
