// Rows exactly as delivery objects wrote them before the delivery store was
// split by concern: deployed objects (and `.wrangler/state`) must read
// unchanged through the RPC surface, without a migration.
import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DeliveryObject } from "../../../edge/webhooks/delivery-object";
import { LEGACY_DELIVERY_SCHEMA } from "./legacy-delivery-schema";

const env = testEnv as unknown as { DELIVERY: DurableObjectNamespace<DeliveryObject> };

const T = Date.parse("2026-01-01T00:00:00.000Z");
const item = (profile: string, seq: number) => ({
  event_id: `evt_${profile}_${seq}`,
  profile_id: profile,
  seq,
  at: new Date(T).toISOString(),
  backfill: false,
  fields: { _uids: [profile] },
  segment_events: [{ id: "seg1", event: "enter", enter: new Date(T).toISOString(), exit: null, slug: "gold" }],
});

describe("delivery object stored format", () => {
  it("reads a log, counts and dead letters written before the split, and still drops a seen (profile, seq)", async () => {
    const stub = env.DELIVERY.get(env.DELIVERY.idFromName(`legacy-${Date.now()}/sub1`));
    await runInDurableObject(stub, (_o, state) => {
      const sql = state.storage.sql;
      sql.exec(LEGACY_DELIVERY_SCHEMA);
      // A paused subscription: nothing is sent while the test reads.
      const record = { id: "sub1", account_id: "legacy", state: "disabled", config: {}, secrets: [] };
      sql.exec("INSERT INTO config VALUES ('subscription', ?)", JSON.stringify(record));
      sql.exec("INSERT INTO requests VALUES ('msg_a', 'delivered', 1, NULL, ?, ?, 200, NULL)", T, T + 5);
      sql.exec("INSERT INTO requests VALUES ('msg_b', 'dead', 10, NULL, ?, ?, 503, 'HTTP 503')", T + 1, T + 9);
      sql.exec(
        "INSERT INTO items (profile, request, created, body) VALUES ('p1', 'msg_a', ?, ?)",
        T,
        JSON.stringify(item("p1", 1)),
      );
      sql.exec(
        "INSERT INTO items (profile, request, created, body) VALUES ('p2', 'msg_b', ?, ?)",
        T,
        JSON.stringify(item("p2", 4)),
      );
      sql.exec(
        "INSERT INTO items (profile, request, created, body) VALUES ('p3', NULL, ?, ?)",
        T,
        JSON.stringify(item("p3", 2)),
      );
      sql.exec(
        "INSERT INTO attempts (request, attempt, at, status, latency_ms, error) VALUES ('msg_a', 1, ?, 200, 12, NULL)",
        T,
      );
      sql.exec("INSERT INTO seen VALUES ('p1', 1, ?)", T);
    });
    const log = await stub.deliveries(null, 10);
    expect(log.counts).toEqual({ pending: 0, sending: 0, delivered: 1, dead: 1, queued_messages: 1 });
    expect(log.deliveries.map((d) => [d.id, d.state, d.attempts, d.last_status])).toEqual([
      ["msg_b", "dead", 10, 503],
      ["msg_a", "delivered", 1, 200],
    ]);
    expect(log.deliveries[1]!.messages).toEqual([
      {
        event_id: "evt_p1_1",
        profile_id: "p1",
        seq: 1,
        backfill: false,
        segment_events: [{ slug: "gold", event: "enter" }],
      },
    ]);
    expect(log.deliveries[1]!.log).toEqual([
      { attempt: 1, at: new Date(T).toISOString(), status: 200, latency_ms: 12, error: null },
    ]);
    expect((await stub.status()).counts.dead).toBe(1);
    // Erasure finds the old rows: p2's dead letter goes with them.
    expect(await stub.forget(["p2"])).toBe(1);
    expect((await stub.deliveries("dead", 10)).deliveries).toEqual([]);
  });
});
