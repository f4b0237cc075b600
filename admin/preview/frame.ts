/**
 * Script of the experience preview frame (/admin/preview.html). The console
 * shows it in `<iframe sandbox="allow-scripts">`: an opaque origin, so the
 * frame can read neither the console's token nor its storage. It runs
 * before the real `pathfora.min.js`, and renders each configuration the
 * console posts to it:
 *
 *   frame → parent: `{type: "pathlight-preview-ready"}` once loaded;
 *   parent → frame: `{type: "pathlight-preview", factory, config}`;
 *   frame → parent: `{type: "pathlight-preview-rendered", ok, error?}`.
 *
 * An opaque origin has no cookies or Web Storage (reading them throws), so
 * this frame gives Pathfora in-memory stand-ins.
 */

/** A Storage kept in memory: keys are own enumerable properties, as in the real one. */
function memoryStorage(): Storage {
  const store = {} as Record<string, string>;
  const methods: Record<string, unknown> = {
    getItem: (k: string) => (Object.hasOwn(store, k) ? store[k] : null),
    setItem: (k: string, v: string) => void (store[k] = String(v)),
    removeItem: (k: string) => void delete store[k],
    clear: () => Object.keys(store).forEach((k) => delete store[k]),
    key: (i: number) => Object.keys(store)[i] ?? null,
  };
  for (const [name, value] of Object.entries(methods)) Object.defineProperty(store, name, { value, enumerable: false });
  Object.defineProperty(store, "length", { get: () => Object.keys(store).length, enumerable: false });
  return store as unknown as Storage;
}

for (const area of ["localStorage", "sessionStorage"] as const) {
  try {
    void window[area];
  } catch {
    Object.defineProperty(window, area, { value: memoryStorage(), configurable: true });
  }
}
try {
  void document.cookie;
} catch {
  const jar = new Map<string, string>();
  Object.defineProperty(document, "cookie", {
    configurable: true,
    get: () => [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
    set: (line: string) => {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    },
  });
}

type Factory = "Message" | "Form" | "Subscription" | "SiteGate";
interface PathforaApi {
  clearAll(): void;
  initializeWidgets(widgets: unknown[]): void;
  [factory: string]: unknown;
}

const FACTORIES: readonly Factory[] = ["Message", "Form", "Subscription", "SiteGate"];

function say(text: string): void {
  const status = document.getElementById("preview-status");
  if (status) status.textContent = text;
}

function show(factory: Factory, config: Record<string, unknown>): void {
  const pathfora = (window as unknown as { pathfora?: PathforaApi }).pathfora;
  if (!pathfora) throw new Error("pathfora.min.js did not load");
  pathfora.clearAll();
  say("");
  const make = pathfora[factory] as (config: Record<string, unknown>) => unknown;
  pathfora.initializeWidgets([make({ ...config, id: "pathlight-preview" })]);
}

addEventListener("message", (event: MessageEvent) => {
  if (event.source !== parent) return;
  const data = event.data as { type?: unknown; factory?: unknown; config?: unknown } | null;
  if (data?.type !== "pathlight-preview") return;
  const factory = data.factory as Factory;
  if (!FACTORIES.includes(factory) || typeof data.config !== "object" || data.config === null) return;
  try {
    show(factory, data.config as Record<string, unknown>);
    parent.postMessage({ type: "pathlight-preview-rendered", ok: true }, "*");
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    say(message);
    parent.postMessage({ type: "pathlight-preview-rendered", ok: false, error: message }, "*");
  }
});

addEventListener("load", () => parent.postMessage({ type: "pathlight-preview-ready" }, "*"));
