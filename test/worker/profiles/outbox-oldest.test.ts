import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MembershipMessage } from "../../../edge/profiles/contract";
import { OutboxTable } from "../../../edge/profiles/storage/outbox-store";
import { ProfileTables } from "../../../edge/profiles/storage/schema";

/**
 * The outbox keeps in memory when its oldest unconfirmed message was sent
 * (the profile's resend alarm is set from it). The kept time must always be
 * what storage holds: a time too early wakes the profile over and over with
 * nothing to resend, one too late delays a resend.
 */
const message = (seq: number): MembershipMessage => ({
  type: "membership",
  cid: "c",
  profile: "p",
  seq,
  at: "2026-01-01T00:00:00.000Z",
  changes: [{ slug: "a", event: "enter", enter: "2026-01-01T00:00:00.000Z", exit: null }],
  fields: {},
});

describe("profile outbox: oldest send time", () => {
  it("matches storage after first sends, resends and confirmations", async () => {
    const ns = (env as unknown as { PROFILE: DurableObjectNamespace }).PROFILE;
    const stub = ns.get(ns.idFromName(`outbox-oldest/${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const outbox = new OutboxTable(sql, new ProfileTables(sql));
      const stored = () => sql.exec<{ sent: number | null }>("SELECT MIN(sent) AS sent FROM outbox").one().sent;
      const check = () => expect(outbox.oldestSent()).toBe(stored());

      expect(outbox.oldestSent()).toBeNull();
      outbox.insert(1, message(1));
      check();
      outbox.markSent([1], 1_000);
      check();
      // A later message sent while the first waits: the oldest stays the first.
      outbox.insert(2, message(2));
      outbox.markSent([2], 2_000);
      check();
      // The first is resent: the oldest is now the second's time, not the first's old one.
      outbox.markSent([1], 3_000);
      check();
      expect(outbox.oldestSent()).toBe(2_000);
      outbox.remove([2]);
      check();
      outbox.remove([1]);
      check();
      expect(outbox.oldestSent()).toBeNull();
    });
  });
});
