/**
 * API errors shown where they belong. The API answers a failed call with
 * `{status, message, errors: [{path, message}]}`; each `path` names a field
 * (`config.headline`, `variations.1.detail_override`). A {@link Field} shows
 * the errors of its path beside its input; {@link ErrorSummary} shows the
 * message and any error no field on the form claims.
 */
import { cloneElement, isValidElement, type ComponentChildren, type VNode } from "preact";
import { ApiFailure } from "../api";

/** One error the API attached to a field (or to the whole request, without path). */
export interface FieldProblem {
  path?: string;
  message: string;
}

/** True when an error's `path` is the field `field` or lies inside it (`a.b` is inside `a`). */
export function pathMatches(path: string | undefined, field: string): boolean {
  if (path === undefined) return false;
  return path === field || path.startsWith(`${field}.`);
}

/** The errors of `error` (an ApiFailure, or anything thrown) that name `field`. */
export function errorsFor(error: unknown, field: string): FieldProblem[] {
  return error instanceof ApiFailure ? error.errors.filter((e) => pathMatches(e.path, field)) : [];
}

/** The errors of `error` that no field in `fields` claims. */
export function unclaimed(error: unknown, fields: readonly string[]): FieldProblem[] {
  if (!(error instanceof ApiFailure)) return [];
  return error.errors.filter((e) => !fields.some((f) => pathMatches(e.path, f)));
}

/**
 * A labelled form field: the label, the input (given as the only child,
 * whose `id` must be `id`) and, when the last call failed on `path`, the
 * API's message for it right below — the input is then marked
 * `aria-invalid` and described by the message.
 */
export function Field({
  id,
  label,
  path,
  error,
  hint,
  children,
}: {
  id: string;
  label: ComponentChildren;
  /** The API's name for the field (dotted); defaults to `id`. */
  path?: string;
  error?: unknown;
  hint?: ComponentChildren;
  children: VNode;
}) {
  const problems = errorsFor(error, path ?? id);
  const described = [hint ? `${id}-hint` : "", problems.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  const input = isValidElement(children)
    ? cloneElement(children, {
        "aria-invalid": problems.length ? "true" : undefined,
        "aria-describedby": described || undefined,
      })
    : children;
  return (
    <div class={problems.length ? "field invalid" : "field"}>
      <label for={id}>{label}</label>
      {input}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problems.length > 0 && (
        <p class="field-error" id={`${id}-error`}>
          {problems.map((p) => p.message).join("; ")}
        </p>
      )}
    </div>
  );
}

/**
 * The failure of the last call: its message, and the errors no field in
 * `fields` shows (with their path). Announced to screen readers.
 */
export function ErrorSummary({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  if (!error) return null;
  const failure = error instanceof ApiFailure ? error : null;
  const rest = unclaimed(error, fields);
  return (
    <div class="error" role="alert">
      <strong>{failure ? failure.message : error instanceof Error ? error.message : String(error)}</strong>
      {rest.length > 0 && (
        <ul>
          {rest.map((e, i) => (
            <li key={i}>
              {e.path ? <code>{e.path}</code> : null} {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
