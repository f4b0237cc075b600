/**
 * localStorage with a memory fallback, for browsers where storage is
 * missing, blocked or full (Safari private mode, sandboxed iframes).
 */
const memory: Record<string, string> = {};
let local: Storage | null = null;
try {
  local = window.localStorage;
  local.setItem("_pl_t", "1");
  local.removeItem("_pl_t");
} catch {
  local = null;
}

/** Reads a key (null if absent). */
export function getItem(key: string): string | null {
  try {
    if (local) return local.getItem(key);
  } catch {}
  return key in memory ? memory[key]! : null;
}

/** Writes a key; falls back to memory when storage refuses (quota). */
export function setItem(key: string, value: string): void {
  try {
    if (local) return local.setItem(key, value);
  } catch {}
  memory[key] = value;
}

/** Removes a key everywhere. */
export function removeItem(key: string): void {
  try {
    local?.removeItem(key);
  } catch {}
  delete memory[key];
}

/** Reads a JSON value, or `fallback` when absent or unreadable. */
export function getJSON<T>(key: string, fallback: T): T {
  try {
    const raw = getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

/** Writes a JSON value. */
export function setJSON(key: string, value: unknown): void {
  setItem(key, JSON.stringify(value));
}
