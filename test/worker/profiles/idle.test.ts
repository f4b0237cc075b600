import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, call, collect, eventually, newAccount, ok } from "../helpers";

/**
 * A profile nobody is calling must be evictable: once its events are
 * settled and its audience changes confirmed by the queue's consumer, it
 * keeps no alarm (an alarm would wake it again and again, and locally keep
 * its SQLite files open). Only a real reason sets one: a time boundary, a
 * score change, an outbox retry or resend.
 */
async function entity(cid: string, uid: string): Promise<{ data: Record<string, any>; meta: { id: string } }> {
  return ok(await admin(`/api/entity/user/_uid/${uid}?cid=${cid}&meta=true&segments=true`));
}

async function alarmOf(cid: string, uid: string): Promise<number | null> {
  const { meta } = await entity(cid, uid);
  const ns = (env as unknown as { PROFILE: DurableObjectNamespace }).PROFILE;
  const stub = ns.get(ns.idFromName(`${cid}/${meta.id}`));
  return runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
}

describe("an idle profile holds nothing that keeps it awake", () => {
  it("no alarm once the audience index has its entry (the queue's consumer confirmed the profile's outbox)", async () => {
    const cid = await newAccount();
    const created = await ok(
      await call(`/api/segment?cid=${cid}`, {
        method: "POST",
        headers: { authorization: "test-admin-token", "content-type": "text/plain" },
        body: 'FILTER plan = "pro" ALIAS pros',
      }),
      201,
    );
    const size = async () => (await ok(await admin(`/v2/segment/${created.data.id}?cid=${cid}`))).data.size as number;
    expect((await collect(cid, { _uid: "idle1", plan: "pro" })).status).toBeLessThan(300);
    expect((await entity(cid, "idle1")).data.segments).toContain("pros");
    // The membership reached the index through the queue...
    expect(await eventually(size, (n) => n === 1)).toBe(1);
    // ...and the consumer's confirmation cleared the resend alarm the outbox had set.
    expect(
      await eventually(
        () => alarmOf(cid, "idle1"),
        (a) => a === null,
      ),
    ).toBeNull();
  }, 30_000);

  it("no alarm after an event that changes no audience", async () => {
    const cid = await newAccount();
    expect((await collect(cid, { _uid: "idle2", color: "blue" })).status).toBeLessThan(300);
    expect(await alarmOf(cid, "idle2")).toBeNull();
  });
});
