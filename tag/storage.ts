/**
 * localStorage with a memory fallback, for browsers where storage is
 * missing, blocked or full (Safari private mode, sandboxed iframes).
 */
const memory: Record<string, string> = {};
let local: Storage | null = null;
try {
  // Touching the getter throws where storage is blocked; writes that fail later land in memory.
  local = window.localStorage;
} catch {
  local = null;
}

/** Reads a key (null if absent); values whose write storage refused come from memory. */
export function getItem(key: string): string | null {
  if (key in memory) return memory[key]!;
  try {
    if (local) return local.getItem(key);
  } catch {}
  return null;
}

/** Writes a key; falls back to memory when storage refuses (quota). */
export function setItem(key: string, value: string): void {
  try {
    if (local) {
      local.setItem(key, value);
      delete memory[key];
      return;
    }
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
