import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount } from "../helpers";
import { accepted, audience, eventually, hookPath, receiver, sleep, subscribe } from "./helpers";

const post = (cid: string, path: string) => admin(`/api/subscription/${path}?cid=${cid}`, "POST");

describe("pausing a webhook subscription", { timeout: 30_000 }, () => {
  it("sends nothing while paused and delivers again after resume", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "paying", `FILTER plan = "pro"`);
    const path = hookPath("pause");
    const sub = (
      await subscribe(cid, { channel: "webhook", segment_ids: [seg.id], webhook_url: `${receiver()}${path}` })
    ).body.data;
    await collect(cid, { _uid: "p-1", plan: "pro" });
    await eventually(
      () => accepted(path),
      (r) => r.length === 1,
    );

    const paused = await post(cid, `${sub.id}/pause`);
    expect(paused.status).toBe(200);
    expect((await paused.json()).data).toMatchObject({ id: sub.id, state: "disabled", state_reason: "paused" });
    const shown = (await (await admin(`/api/subscription/${sub.id}?cid=${cid}`)).json()).data;
    expect(shown).toMatchObject({ state: "disabled", state_reason: "paused" });
    await sleep(1_200); // past the isolates' subscription cache
    await collect(cid, { _uid: "p-2", plan: "pro" });
    await sleep(2_000);
    expect(await accepted(path)).toHaveLength(1);

    const resumed = await post(cid, `${sub.id}/resume`);
    expect((await resumed.json()).data).toMatchObject({ state: "active", state_reason: null });
    await sleep(1_200);
    await collect(cid, { _uid: "p-3", plan: "pro" });
    const after = await eventually(
      () => accepted(path),
      (r) => r.length === 2,
    );
    expect(after.map((r) => JSON.parse(r.body).data._uids[0])).toEqual(["p-1", "p-3"]);
  });

  it("needs a writing role and a known subscription", async () => {
    const cid = await newAccount();
    expect((await post(cid, "nope/pause")).status).toBe(404);
    const reader = (await (await admin(`/api/token?cid=${cid}`, "POST", { name: "r", role: "reader" })).json()).data
      .token as string;
    const res = await call(`/api/subscription/nope/pause?cid=${cid}`, {
      method: "POST",
      headers: { authorization: reader },
    });
    expect(res.status).toBe(403);
  });
});
