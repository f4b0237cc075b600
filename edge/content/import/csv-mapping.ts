/**
 * How a CSV file's columns fill content documents: header names and their
 * aliases, and one record as a validated document input.
 */
import type { ContentProblem } from "../contract";
import { DocumentInputSchema, type DocumentInput, type Validated, zodProblems } from "../documents/input";

/**
 * CSV header names (case-insensitive, spaces and dashes as underscores)
 * and the document field each fills. `topics` and `keywords` cells hold
 * labels separated by `|` or `,`.
 */
export const CSV_COLUMNS: Readonly<Record<string, keyof DocumentInput>> = {
  url: "url",
  link: "url",
  canonical: "url",
  canonical_url: "url",
  title: "title",
  og_title: "title",
  description: "description",
  summary: "description",
  og_description: "description",
  primary_image: "primary_image",
  image: "primary_image",
  image_url: "primary_image",
  og_image: "primary_image",
  author: "author",
  article_author: "author",
  published: "published",
  published_time: "published",
  published_at: "published",
  article_published_time: "published",
  date: "published",
  keywords: "keywords",
  tags: "keywords",
  article_tag: "keywords",
  topics: "topics",
};

/** How the columns of a CSV file map to document fields. */
export interface CsvMapping {
  /** Column index -> field, for the columns used. */
  columns: [number, keyof DocumentInput][];
  /** Header names not used (reported, not an error). */
  ignored: string[];
}

const headerKey = (h: string): string =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s:.-]+/g, "_");

/** Maps a CSV header to fields; a header without a URL column, or naming a field twice, is refused. */
export function csvMapping(header: readonly string[]): Validated<CsvMapping> {
  const columns: [number, keyof DocumentInput][] = [];
  const ignored: string[] = [];
  const problems: ContentProblem[] = [];
  const seen = new Map<keyof DocumentInput, string>();
  header.forEach((h, i) => {
    const field = CSV_COLUMNS[headerKey(h)];
    if (!field) return void ignored.push(h);
    const other = seen.get(field);
    if (other !== undefined) problems.push({ path: h, message: `column "${h}" fills ${field}, as "${other}" does` });
    seen.set(field, h);
    columns.push([i, field]);
  });
  if (!seen.has("url"))
    problems.push({ message: `the header has no url column (one of: url, link, canonical, canonical_url)` });
  return problems.length ? { ok: false, problems } : { ok: true, value: { columns, ignored } };
}

/**
 * One CSV record as a validated document input. Empty cells are absent;
 * problems name the CSV column (`title`), the caller adds the line.
 */
export function csvRecordToInput(mapping: CsvMapping, fields: readonly string[]): Validated<DocumentInput> {
  const doc: Record<string, unknown> = {};
  for (const [i, field] of mapping.columns) {
    const cell = (fields[i] ?? "").trim();
    if (cell === "") continue;
    if (field === "topics" || field === "keywords") doc[field] = cell.split(/[|,]/).filter((s) => s.trim() !== "");
    else if (field === "published" && /^\d{10,}$/.test(cell)) doc[field] = Number(cell);
    else doc[field] = cell;
  }
  const r = DocumentInputSchema.safeParse(doc);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: zodProblems(r.error) };
}
