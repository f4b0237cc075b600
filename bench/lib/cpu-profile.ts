// CPU profiles of a worker on workerd, through its inspector (the Chrome
// DevTools protocol): start the profiler, run a load, stop it, and sum the
// samples' self time per function.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Connects to the inspector target of worker `name` on `inspectorPort`. */
async function connect(inspectorPort: number, name: string) {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    id: string;
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.endsWith(`:${name}`) || t.title === name || t.id.endsWith(name));
  if (!target) throw new Error(`no inspector target for ${name}: ${targets.map((t) => t.title).join(", ")}`);
  // wrangler dev's inspector proxy refuses a connection without an allowed Origin (Miniflare's ignores it).
  const ws = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: "http://localhost" },
  } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("inspector connection failed"));
  });
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** Runs `work` with the profiler on; returns self time (ms) per function, largest first. */
export async function profileWhile(
  inspectorPort: number,
  worker: string,
  work: () => Promise<void>,
): Promise<{
  total: number;
  rows: { fn: string; ms: number }[];
  inclusive: { fn: string; ms: number }[];
  /** Time in the runtime's own functions (SQL, RPC, fetch: no script URL), by the script function that called them. */
  nativeByCaller: { fn: string; ms: number }[];
}> {
  const s = await connect(inspectorPort, worker);
  await s.send("Profiler.enable");
  await s.send("Profiler.setSamplingInterval", { interval: 200 });
  await s.send("Profiler.start");
  await work();
  const { profile } = (await s.send("Profiler.stop")) as { profile: Profile };
  s.close();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (node: ProfileNode) => {
    const f = node.callFrame;
    return `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const native = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)") return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + ms);
    if (!node.callFrame.url && !node.callFrame.functionName.startsWith("(")) {
      let caller = parent.get(id);
      while (caller !== undefined && !byId.get(caller)!.callFrame.url) caller = parent.get(caller);
      const k = `${node.callFrame.functionName} ← ${caller === undefined ? "?" : keyOf(byId.get(caller)!)}`;
      native.set(k, (native.get(k) ?? 0) + ms);
    }
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const k = keyOf(byId.get(n)!);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].map(([fn, ms]) => ({ fn, ms })).sort((a, b) => b.ms - a.ms);
  return { total, rows: sorted(self), inclusive: sorted(incl), nativeByCaller: sorted(native) };
}
