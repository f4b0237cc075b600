// The floor of the scale benchmark (bench/scale.ts), run on the same workerd
// as Pathlight: `POST /?from=<i>&n=<n>` starts the n objects named
// `o<i>` … `o<i+n-1>`, 8 at a time (as a Pathlight bulk collect ingests its
// people), and each creates one table and writes one row. Whatever a new
// Pathlight profile costs above this is Pathlight's own work.
import { DurableObject } from "cloudflare:workers";

/** A new object's least work: one table, one row. */
export class Thing extends DurableObject<Env> {
  write(): number {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID");
    this.ctx.storage.sql.exec("INSERT INTO t (k, v) VALUES ('id', ?)", this.ctx.id.toString());
    return 1;
  }
}

interface Env {
  THING: DurableObjectNamespace<Thing>;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const from = Number(url.searchParams.get("from") ?? 0);
    const n = Number(url.searchParams.get("n") ?? 1);
    let next = from;
    let written = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < from + n) {
          const name = `o${next++}`;
          written += await env.THING.get(env.THING.idFromName(name)).write();
        }
      }),
    );
    return new Response(String(written));
  },
} satisfies ExportedHandler<Env>;
