import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DeliveryRpc } from "../../../edge/webhooks/contract";
import { newAccount } from "../helpers";
import { accepted, audience, bodyOf, deliveries, eventually, hookPath, receiver, subscribe } from "./helpers";
import { LEGACY_DELIVERY_SCHEMA } from "./legacy-delivery-schema";

const env = testEnv as unknown as { DELIVERY: DurableObjectNamespace };

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A delivery item (one message) as e54d76c stored it in `items.body`. */
const item = (event_id: string, profile_id: string, seq: number, uid: string) => ({
  event_id,
  profile_id,
  seq,
  at: iso(T0),
  backfill: false,
  fields: { _uids: [uid], member: true },
  segment_events: [{ id: "aud-members", slug: "members", event: "enter", enter: iso(T0), exit: null }],
});

/** Drops what the current code created, so only the old tables remain. */
function dropAllTables(sql: SqlStorage): void {
  for (const { name } of sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .toArray())
    sql.exec(`DROP TABLE "${name}"`);
}

/**
 * The delivery object's tables and rows exactly as commit e54d76c wrote them
 * (edge/webhooks/delivery/store.ts there): a request that died after three
 * attempts, one pending a retry after a 500, one delivered, a message not yet
 * in a request, a (profile, seq) already seen and an erased person.
 */
function writeDeliveryRows(sql: SqlStorage, subscription: string): void {
  sql.exec(LEGACY_DELIVERY_SCHEMA);
  sql.exec("INSERT INTO config VALUES ('subscription', ?)", subscription);
  const now = Date.now();
  const requests: [string, string, number, number | null, number, number | null, string | null][] = [
    ["msg_olddead", "dead", 3, null, T0, 503, "HTTP 503"],
    ["msg_oldpending", "pending", 1, now - 1000, T0 + 1000, 500, "HTTP 500"],
    ["msg_olddelivered", "delivered", 1, null, T0 + 2000, 200, null],
  ];
  for (const [id, state, attempts, next, created, status, error] of requests)
    sql.exec(
      "INSERT INTO requests (id, state, attempts, next_at, created, updated, last_status, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      id,
      state,
      attempts,
      next,
      created,
      created + 500,
      status,
      error,
    );
  const attempt = (request: string, n: number, status: number, error: string | null) =>
    sql.exec(
      "INSERT INTO attempts (request, attempt, at, status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)",
      request,
      n,
      T0 + n,
      status,
      12,
      error,
    );
  for (const n of [1, 2, 3]) attempt("msg_olddead", n, 503, "HTTP 503");
  attempt("msg_oldpending", 1, 500, "HTTP 500");
  attempt("msg_olddelivered", 1, 200, null);
  const insertItem = (request: string | null, body: ReturnType<typeof item>) =>
    sql.exec(
      "INSERT INTO items (profile, request, created, body) VALUES (?, ?, ?, ?)",
      body.profile_id,
      request,
      T0,
      JSON.stringify(body),
    );
  insertItem("msg_olddead", item("evt_dead", "p-dead", 1, "u-dead"));
  insertItem("msg_oldpending", item("evt_pending", "p-pending", 1, "u-pending"));
  insertItem("msg_olddelivered", item("evt_delivered", "p-delivered", 1, "u-delivered"));
  insertItem(null, item("evt_queued", "p-queued", 1, "u-queued"));
  sql.exec("INSERT INTO seen VALUES ('p-seen', 7, ?)", now);
  sql.exec("INSERT INTO erased VALUES ('p-erased', ?)", T0);
}

describe("webhook delivery object storage format (as written by e54d76c)", { timeout: 40_000 }, () => {
  it("keeps its delivery log, sends queued and retried requests, replays dead letters with the same webhook-id", async () => {
    const cid = await newAccount();
    await audience(cid, "members", "FILTER member = true");
    const path = hookPath("stored-format");
    const sub = (
      await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` })
    ).body.data;
    const stub = env.DELIVERY.get(env.DELIVERY.idFromName(`${cid}/${sub.id}`));
    await runInDurableObject(stub, async (instance, state) => {
      const sql = state.storage.sql;
      // The subscription record is the account's, kept as the object received it.
      const record = sql.exec<{ value: string }>("SELECT value FROM config WHERE key = 'subscription'").one().value;
      dropAllTables(sql);
      writeDeliveryRows(sql, record);
      const Klass = instance.constructor as new (ctx: DurableObjectState, env: unknown) => DeliveryRpc;
      const delivery = new Klass(state, testEnv);

      const log = await delivery.deliveries(null, 50);
      expect(log.counts).toEqual({ pending: 1, sending: 0, delivered: 1, dead: 1, queued_messages: 1 });
      expect(log.deliveries.map((d) => [d.id, d.state, d.attempts, d.last_status, d.log.length])).toEqual([
        ["msg_olddelivered", "delivered", 1, 200, 1],
        ["msg_oldpending", "pending", 1, 500, 1],
        ["msg_olddead", "dead", 3, 503, 3],
      ]);
      const dead = log.deliveries.find((d) => d.id === "msg_olddead");
      expect(dead?.created).toBe(iso(T0));
      expect(dead?.log[0]).toEqual({ attempt: 1, at: iso(T0 + 1), status: 503, latency_ms: 12, error: "HTTP 503" });
      expect(dead?.messages).toEqual([
        {
          event_id: "evt_dead",
          profile_id: "p-dead",
          seq: 1,
          backfill: false,
          segment_events: [{ slug: "members", event: "enter" }],
        },
      ]);
      expect((await delivery.deliveries("dead", 50)).deliveries.map((d) => d.id)).toEqual(["msg_olddead"]);
      expect((await delivery.status()).counts).toMatchObject({ pending: 1, delivered: 1, dead: 1 });

      // A change already seen is a queue redelivery; an erased person's change is refused.
      const change = (profile: string, seq: number) => ({
        profile,
        seq,
        at: iso(T0),
        fields: { member: true },
        segment_events: [{ id: "aud-members", slug: "members", event: "enter" as const, enter: iso(T0), exit: null }],
      });
      expect(await delivery.accept([change("p-seen", 7), change("p-erased", 1)])).toBe(0);
      expect(await delivery.replay(null)).toBe(1);
    });

    // The pending retry, the replayed dead letter (same webhook-id) and the queued message all arrive.
    const got = await eventually(
      () => accepted(path),
      (r) => r.length >= 3,
      20_000,
    );
    const byId = new Map(got.map((r) => [r.headers["webhook-id"], bodyOf(r)]));
    expect(byId.get("msg_olddead")).toMatchObject({ data: { _uids: ["u-dead"] } });
    expect(byId.get("msg_oldpending")).toMatchObject({ data: { _uids: ["u-pending"] } });
    expect(got.map((r) => bodyOf(r).data._uids[0]).sort()).toEqual(["u-dead", "u-pending", "u-queued"]);
    const after = await eventually(
      () => deliveries(cid, sub.id),
      (d) => d.counts.delivered === 4,
    );
    expect(after.counts).toMatchObject({ pending: 0, dead: 0, delivered: 4, queued_messages: 0 });
    const pending = after.deliveries.find((d) => d.id === "msg_oldpending");
    expect(pending).toMatchObject({ state: "delivered", attempts: 2, last_status: 200 });
    expect(pending.log.map((a: { status: number }) => a.status)).toEqual([500, 200]);
  });
});
