// Trigger fields: members of a subscribed audience are also sent when one
// of the chosen fields changes.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { collect, newAccount } from "../helpers";
import { accepted, audience, eventually, hookPath, receiver, sleep, subscribe } from "./helpers";

describe("trigger fields", { timeout: 30_000 }, () => {
  it("sends a member's change of a trigger field with field_changes; other fields and non-members send nothing", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "members", `FILTER plan = "pro"`);
    const path = hookPath("triggers");
    const created = await subscribe(cid, {
      channel: "webhook",
      segment_ids: [seg.id],
      webhook_url: `${receiver()}${path}`,
      trigger_fields: ["city"],
    });
    expect(created.status).toBe(200);
    expect(created.body.data.config.trigger_fields).toEqual(["city"]);
    const secret = created.body.data.secret;
    await collect(cid, { _uid: "tf-1", plan: "pro", city: "Oslo" }); // enter
    await collect(cid, { _uid: "tf-1", city: "Bergen" }); // trigger field change
    await collect(cid, { _uid: "tf-1", color: "red" }); // other field: nothing
    await collect(cid, { _uid: "tf-2", plan: "free", city: "Rome" });
    await collect(cid, { _uid: "tf-2", city: "Milan" }); // not a member: nothing
    const got = await eventually(
      async () => (await accepted(path)).map((r) => new Webhook(secret).verify(r.body, r.headers) as any),
      (m) => m.length >= 2,
    );
    await sleep(1500);
    const all = (await accepted(path)).map((r) => new Webhook(secret).verify(r.body, r.headers) as any);
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(all).toHaveLength(2);
    const [enter, change] = all.sort((a, b) => a.meta.seq - b.meta.seq);
    expect(enter.data.segment_events).toEqual([
      { id: seg.id, event: "enter", enter: expect.any(String), exit: "2099-12-31T23:59:59Z", slug: "members" },
    ]);
    expect(change.data.segment_events).toEqual([]);
    expect(change.data.field_changes).toEqual([{ field: "city", previous: "Oslo", current: "Bergen" }]);
    expect(change.data.city).toBe("Bergen");
    expect(all.every((m) => m.data._uids[0] === "tf-1")).toBe(true);
  });

  it("refuses malformed trigger fields", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "m2", `FILTER plan = "pro"`);
    const res = await subscribe(cid, {
      channel: "webhook",
      segment_ids: [seg.id],
      webhook_url: `${receiver()}${hookPath("bad")}`,
      trigger_fields: [""],
    });
    expect(res.status).toBe(422);
  });
});
