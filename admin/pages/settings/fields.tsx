import type { ComponentChildren } from "preact";
import { ApiFailure } from "../../api";

/** The API's messages for one field path (`domains`, `domains.2`, ...) of a failed call. */
export function errorsFor(error: unknown, path: string): string[] {
  if (!(error instanceof ApiFailure)) return [];
  return error.errors
    .filter((e) => e.path === path || e.path?.startsWith(`${path}.`))
    .map((e) => (e.path && e.path !== path ? `${e.path}: ${e.message}` : e.message));
}

/** A labelled control with the API's errors for it shown right below, tied by aria-describedby. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  errors: string[];
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="muted hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.children}
      {props.errors.length > 0 && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.errors.join("; ")}
        </p>
      )}
    </div>
  );
}

/** `aria-describedby` for a control rendered inside {@link Field}. */
export const describedBy = (id: string, hint: boolean, errors: string[]): string | undefined =>
  [hint ? `${id}-hint` : "", errors.length ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

/** Splits a textarea into entries: one per line or comma. */
export const entries = (text: string): string[] =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Copies text to the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
