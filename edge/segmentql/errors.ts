/**
 * The one error type of the SegmentQL library. Parsing errors carry the
 * 1-based line and column of the offending token and what the parser
 * expected there; errors about the JSON `ast` form, INCLUDE cycles and other
 * non-textual problems use line 0 and column 0 and name the JSON path (or the
 * cycle) in the message.
 */
export class SegmentQLError extends Error {
  /** 1-based line of the error in the SegmentQL text, or 0 when not textual. */
  line: number;
  /** 1-based column (UTF-16 code units) in that line, or 0 when not textual. */
  column: number;
  /** What would have been accepted at that position, e.g. `[")", ","]`. */
  expected?: string[];

  /**
   * @param message - what went wrong, without the position (it is appended).
   * @param line - 1-based line, or 0 when the error is not about text.
   * @param column - 1-based column, or 0 when the error is not about text.
   * @param expected - tokens or constructs that would have been accepted.
   */
  constructor(message: string, line = 0, column = 0, expected?: string[]) {
    super(line > 0 ? `${message} at line ${line}, column ${column}` : message);
    this.name = "SegmentQLError";
    this.line = line;
    this.column = column;
    if (expected !== undefined) this.expected = expected;
  }
}
