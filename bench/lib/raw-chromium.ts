// Chromium driven over the DevTools protocol directly, with no domain on but
// the ones the caller enables. Playwright always enables the Network domain on
// its pages, and with it Chromium records the JavaScript stack of every
// request a script starts (V8 then re-parses each function on that stack to
// find its source positions): work a visitor's browser never does. A load
// here runs in a fresh browser context with only Performance enabled.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Message = {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: { message: string };
  sessionId?: string;
};

/** A page in a fresh browser context: `send` talks to it. */
export interface RawPage {
  send(method: string, params?: Record<string, unknown>): Promise<any>;
  /** The next event `method` of this page. */
  next(method: string): Promise<any>;
  close(): Promise<void>;
}

/** Launches Chromium headless with `args`; nothing but 127.0.0.1 resolves. */
export async function launchRaw(path: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "pathlight-cdp-"));
  const proc = spawn(
    path,
    [
      ...args,
      "--headless",
      "--remote-debugging-port=0",
      `--user-data-dir=${dir}`,
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      "about:blank",
    ],
    { stdio: "ignore" },
  );
  const portFile = join(dir, "DevToolsActivePort");
  let ws: WebSocket | undefined;
  for (let i = 0; i < 400 && !ws; i++) {
    const [port, path] = existsSync(portFile) ? readFileSync(portFile, "utf8").split("\n") : [];
    if (path) ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  if (!ws) throw new Error("raw chromium: no DevTools port");
  const socket = ws;
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let events: { sessionId: string; method: string; resolve: (v: any) => void }[] = [];
  socket.onmessage = (ev) => {
    const m = JSON.parse(String(ev.data)) as Message;
    if (m.method) {
      const hit = events.filter((e) => e.sessionId === m.sessionId && e.method === m.method);
      events = events.filter((e) => !hit.includes(e));
      for (const e of hit) e.resolve(m.params);
    }
    const w = m.id === undefined ? undefined : waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id!);
    if (m.error) w.reject(new Error(m.error.message));
    else w.resolve(m.result);
  };
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  return {
    /** A blank page in a new browser context (no cookies, storage or cache shared with any other). */
    async page(): Promise<RawPage> {
      const { browserContextId } = await send("Target.createBrowserContext", { disposeOnDetach: true });
      const { targetId } = await send("Target.createTarget", { url: "about:blank", browserContextId });
      const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
      return {
        send: (method, params) => send(method, params, sessionId),
        next: (method) => new Promise((resolve) => events.push({ sessionId, method, resolve })),
        close: () => send("Target.disposeBrowserContext", { browserContextId }),
      };
    },
    async close() {
      socket.close();
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill();
        await exited;
      }
      // Chromium's helper processes may still be writing the profile for a moment.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch {}
    },
  };
}
