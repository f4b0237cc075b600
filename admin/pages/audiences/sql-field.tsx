import type { SqlProblem } from "./model";

/**
 * The SegmentQL text with its problems in place: each names its line and
 * column, quotes that line and points at the column.
 */
export function SqlField(props: {
  text: string;
  onInput: (text: string) => void;
  problems: SqlProblem[];
  checking: boolean;
  readOnly: boolean;
}) {
  const { text, problems } = props;
  const lines = text.split("\n");
  return (
    <div>
      <label for="segql">SegmentQL</label>
      <textarea
        id="segql"
        value={text}
        spellcheck={false}
        readOnly={props.readOnly}
        rows={Math.max(8, lines.length + 1)}
        aria-invalid={problems.length > 0}
        aria-describedby="segql-problems"
        onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
      />
      <div id="segql-problems" aria-live="polite">
        {problems.length > 0 && (
          <ul class="error" style={{ listStyle: "none", paddingLeft: "0.75rem" }}>
            {problems.map((p, i) => (
              <li key={i} class="sql-problem">
                <strong>{p.line > 0 ? `Line ${p.line}, column ${p.column}: ` : ""}</strong>
                {p.message}
                {p.expected?.length && !p.message.includes("expected") ? ` (expected ${p.expected.join(", ")})` : ""}
                {p.line > 0 && lines[p.line - 1] !== undefined && (
                  <pre style={{ margin: "0.25rem 0 0", padding: "0.25rem 0.5rem" }} aria-hidden="true">
                    {`${lines[p.line - 1]}\n${" ".repeat(Math.max(0, p.column - 1))}^`}
                  </pre>
                )}
              </li>
            ))}
          </ul>
        )}
        {!problems.length && !props.readOnly && (
          <p class="muted" style={{ margin: "0.25rem 0" }}>
            {props.checking ? "Checking…" : text.trim() ? "Valid SegmentQL." : ""}
          </p>
        )}
      </div>
    </div>
  );
}
