/**
 * RFC 4180 CSV parsing, pure and incremental: text can be fed chunk by
 * chunk (a large upload read from R2 in ranges), and each record carries
 * the line it starts on so errors can name it.
 *
 * Rules: fields are separated by `,`; records end at CRLF, LF or CR; a
 * field in double quotes may hold separators, line breaks and `""` (one
 * quote); a quote inside an unquoted field is kept as is; blank lines are
 * skipped; a leading byte-order mark is dropped. A quoted field followed by
 * anything but a separator or a line break, or a quote never closed, makes
 * that record an error; parsing goes on at the next line.
 */

/** One record (row) of a CSV text. */
export interface CsvRecord {
  /** 1-based line of the text the record starts on. */
  line: number;
  fields: string[];
}

/** A record that could not be parsed. */
export interface CsvError {
  line: number;
  message: string;
}

/** What one call of `parseCsvChunk` read. */
export interface CsvChunk {
  records: CsvRecord[];
  errors: CsvError[];
  /** Characters of the text consumed: the rest (an unfinished record) must be fed again with more text. */
  consumed: number;
  /** Line number of the first unconsumed character. */
  nextLine: number;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Parses as many complete records as `text` holds. With `final` false a
 * record that may continue past the end of the text is left unconsumed;
 * with `final` true the text is the rest of the input.
 */
export function parseCsvChunk(text: string, options: { final: boolean; line?: number; delimiter?: string }): CsvChunk {
  const delim = (options.delimiter ?? ",").charCodeAt(0);
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  const n = text.length;
  let line = options.line ?? 1;
  let i = 0;
  if (line === 1 && text.charCodeAt(0) === 0xfeff) i = 1;
  let consumed = i;
  let consumedLine = line;

  /** Index after the line break at `j` (CRLF counts as one), or -1 when it may continue past the text. */
  const afterBreak = (j: number): number => {
    if (text.charCodeAt(j) === CR) {
      if (j + 1 < n) return text.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
      return options.final ? j + 1 : -1; // a CR at the end: its LF may be in the next chunk
    }
    return j + 1;
  };
  /** Skips to the start of the next line (for error recovery), counting lines. */
  const skipLine = (j: number): number => {
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === LF || c === CR) {
        const next = afterBreak(j);
        return next < 0 ? n : next;
      }
      j++;
    }
    return n;
  };

  scan: while (i < n) {
    const start = i;
    const startLine = line;
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      // Blank line.
      const next = afterBreak(i);
      if (next < 0) break;
      i = next;
      line++;
      consumed = i;
      consumedLine = line;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      // One field starts at i.
      if (i < n && text.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let value = "";
        let chunkStart = j;
        let closed = false;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === QUOTE) {
            if (j + 1 < n && text.charCodeAt(j + 1) === QUOTE) {
              value += text.slice(chunkStart, j + 1);
              j += 2;
              chunkStart = j;
              continue;
            }
            if (j + 1 >= n && !options.final) break; // may be the first half of ""
            value += text.slice(chunkStart, j);
            closed = true;
            j++;
            break;
          }
          if (c === LF) line++;
          else if (c === CR && text.charCodeAt(j + 1) !== LF) line++;
          j++;
        }
        if (!closed) {
          if (!options.final) {
            line = startLine;
            break scan; // the record continues in the next chunk
          }
          errors.push({ line: startLine, message: `line ${startLine}: a quoted field is never closed` });
          i = n;
          consumed = n;
          consumedLine = line;
          break scan;
        }
        fields.push(value);
        i = j;
        if (i >= n) {
          if (!options.final) {
            line = startLine;
            break scan;
          }
          break;
        }
        const c = text.charCodeAt(i);
        if (c === delim) {
          i++;
          continue;
        }
        if (c === LF || c === CR) break;
        const unexpected = text[i];
        const before = i;
        i = skipLine(i);
        for (let k = before; k < i; k++) {
          const ch = text.charCodeAt(k);
          if (ch === LF || (ch === CR && text.charCodeAt(k + 1) !== LF)) line++;
        }
        if (i >= n && !options.final && text.charCodeAt(n - 1) !== LF) {
          // The bad line may go on in the next chunk: re-read it then.
          line = startLine;
          i = start;
          break scan;
        }
        errors.push({
          line: startLine,
          message: `line ${startLine}: unexpected ${JSON.stringify(unexpected)} after a closing quote (quotes inside a quoted field are written "")`,
        });
        consumed = i;
        consumedLine = line;
        continue scan;
      }
      // Unquoted field: up to the separator or the line break.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delim || c === LF || c === CR) break;
        j++;
      }
      fields.push(text.slice(i, j));
      i = j;
      if (i >= n) {
        if (!options.final) {
          line = startLine;
          break scan;
        }
        break;
      }
      if (text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      break; // line break
    }
    // The record ends at a line break or at the end of the final text.
    if (i < n) {
      const next = afterBreak(i);
      if (next < 0) {
        line = startLine;
        break;
      }
      i = next;
      line++;
    }
    records.push({ line: startLine, fields });
    consumed = i;
    consumedLine = line;
  }
  return { records, errors, consumed, nextLine: consumedLine };
}

/** Parses a whole CSV text. */
export function parseCsv(text: string): { records: CsvRecord[]; errors: CsvError[] } {
  const { records, errors } = parseCsvChunk(text, { final: true });
  return { records, errors };
}
