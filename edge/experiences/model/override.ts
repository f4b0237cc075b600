/**
 * API overrides (`vehicle.detail_override`) and string callbacks.
 *
 * Merge: the override is applied over the editor's configuration with JSON
 * Merge Patch semantics (RFC 7396), which is what "translate the config to
 * JSON the way `JSON.stringify` would and nest it in `detail_override`"
 * implies for a partial configuration: objects merge key by key (so an
 * override of `displayConditions.showDelay` keeps the editor's other
 * display conditions), arrays and scalars replace (`formElements` in the
 * override is the whole list of fields), and `null` removes the key (so an
 * override can take out something the editor set). Nothing is evaluated.
 *
 * String callbacks: Pathfora accepts a function expression as a string in
 * the callback keys (`confirmAction.callback`, `onSubmit`, ...). They are
 * stored as sent; they are delivered to the browser only when the account
 * setting `allow_string_callbacks` is on, otherwise stripped from the
 * delivered configuration (with `waitForAsyncResponse` of the same action,
 * which would otherwise wait for a callback that never runs).
 */
import type { JsonObject, JsonValue } from "../contract";

/** Is `value` a JSON object (not an array, not null)? */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `patch` merged over `target` (RFC 7396): a new value, inputs untouched.
 * A non-object patch replaces the target.
 */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return clone(patch);
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** `override` merged over `base` (both objects): the delivered widget configuration. */
export function applyOverride(base: JsonObject, override: JsonObject | null | undefined): JsonObject {
  return override ? (mergePatch(base, override) as JsonObject) : base;
}

function clone(value: JsonValue): JsonValue {
  return Array.isArray(value) ? value.map(clone) : isJsonObject(value) ? mergePatch({}, value) : value;
}

/** Top-level widget keys Pathfora calls as functions. */
export const CALLBACK_KEYS: readonly string[] = [
  "onInit",
  "onLoad",
  "onClick",
  "onModalOpen",
  "onModalClose",
  "onSubmit",
];

/** Action keys (anywhere in the configuration) whose `callback` Pathfora calls. */
export const ACTION_KEYS: readonly string[] = ["confirmAction", "cancelAction", "closeAction"];

/** Calls `visit(path, holder, key)` for every string callback in `config`. */
function walkCallbacks(
  config: JsonValue,
  path: string,
  visit: (path: string, holder: JsonObject, key: string) => void,
): void {
  if (Array.isArray(config)) {
    config.forEach((item, i) => walkCallbacks(item, `${path}.${i}`, visit));
    return;
  }
  if (!isJsonObject(config)) return;
  for (const [key, value] of Object.entries(config)) {
    const here = path ? `${path}.${key}` : key;
    if (CALLBACK_KEYS.includes(key) && typeof value === "string") visit(here, config, key);
    else if (ACTION_KEYS.includes(key) && isJsonObject(value) && typeof value["callback"] === "string")
      visit(`${here}.callback`, value, "callback");
    if (typeof value === "object" && value !== null) walkCallbacks(value, here, visit);
  }
}

/**
 * Dotted paths of the string callbacks in `config`, prefixed with `prefix`
 * (e.g. `vehicle.detail_override.confirmAction.callback`).
 */
export function findStringCallbacks(config: JsonValue, prefix = ""): string[] {
  const found: string[] = [];
  walkCallbacks(config, prefix, (path) => found.push(path));
  return found;
}

/**
 * `config` without string callbacks (a copy; the input is untouched). An
 * action that loses its callback also loses `waitForAsyncResponse`.
 */
export function stripStringCallbacks(config: JsonObject): JsonObject {
  const copy = clone(config) as JsonObject;
  walkCallbacks(copy, "", (_path, holder, key) => {
    delete holder[key];
    if (key === "callback") delete holder["waitForAsyncResponse"];
  });
  return copy;
}
