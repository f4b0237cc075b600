// The runtime's ceiling for the edge benchmark (bench/edge.ts), run on the
// same workerd as Pathlight: a bare Hono hello world, and the "ladder" of
// what any design with a per-profile Durable Object pays on top of it.
//
// - `GET /`                  the bare hello world
// - `GET /do/noop?v=<id>`    + one RPC to the Durable Object named `v` that does nothing
// - `POST /do/write?v=<id>`  + one RPC to that object that writes one SQLite row
//
// Each visitor id names its own object, as each Pathlight profile does.
import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";

/** A per-visitor object: the smallest stand-in for a profile object. */
export class Counter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (n INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
  }

  /** Nothing: the cost of the round trip alone. */
  noop(): number {
    return 0;
  }

  /** One row written (an auto-committed SQLite insert). */
  write(): number {
    this.ctx.storage.sql.exec("INSERT INTO hits (at) VALUES (?)", Date.now());
    return 1;
  }
}

interface Env {
  COUNTER: DurableObjectNamespace<Counter>;
}

const app = new Hono<{ Bindings: Env }>();
const counter = (env: Env, v: string | undefined) => env.COUNTER.get(env.COUNTER.idFromName(v ?? "anyone"));

app.get("/", (c) => c.text("Hello World"));
app.get("/do/noop", async (c) => c.text(String(await counter(c.env, c.req.query("v")).noop())));
app.post("/do/write", async (c) => c.text(String(await counter(c.env, c.req.query("v")).write())));

export default app;
