import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, personalize } from "../helpers";

describe("erase and export a person", () => {
  it("exports everything held, then erases profile, merged profiles and links", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "g1", name: "Gus", color: "red" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "gus@x.io", user_id: "g-9", plan: "pro" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "gus@x.io", _uid: "g1" });
    const exported = await admin(`/api/entity/user/email/gus@x.io/export?cid=${cid}`);
    expect(exported.status).toBe(200);
    const data = (await exported.json()).data;
    expect(data.profile.fields).toMatchObject({ name: "Gus", plan: "pro", color: "red" });
    expect(data.stored).toHaveLength(2);
    expect(data.profile.identifiers).toEqual(
      expect.arrayContaining([
        { field: "_uid", value: "g1" },
        { field: "email", value: "gus@x.io" },
        { field: "user_id", value: "g-9" },
      ]),
    );

    const erased = await admin(`/api/entity/user/user_id/g-9?cid=${cid}`, "DELETE");
    expect(erased.status).toBe(200);
    expect((await erased.json()).data.erased_profiles).toHaveLength(2);
    for (const [f, v] of [
      ["_uid", "g1"],
      ["email", "gus@x.io"],
      ["user_id", "g-9"],
    ]) {
      expect((await admin(`/api/entity/user/${f}/${v}?cid=${cid}`)).status).toBe(404);
      expect((await admin(`/api/entity/user/${f}/${v}/export?cid=${cid}`)).status).toBe(404);
    }
    expect((await personalize(cid, "g1")).body.data.user).toEqual({ _uid: "g1", segments: ["all"] });
    // A new event starts a fresh profile with nothing of the old one.
    await collect(cid, { _uid: "g1", fresh: true });
    const fresh = await (await admin(`/api/entity/user/_uid/g1?cid=${cid}&meta=true`)).json();
    expect(fresh.data.name).toBeUndefined();
    expect(fresh.data.fresh).toBe(true);
    expect(fresh.meta.events).toBe(1);
  });

  it("needs admin and answers 404 for unknown people", async () => {
    const cid = await newAccount();
    expect((await admin(`/api/entity/user/email/nobody@x.io?cid=${cid}`, "DELETE")).status).toBe(404);
    const tok = (await (await admin(`/api/token?cid=${cid}`, "POST", { name: "r", role: "data_manager" })).json()).data
      .token;
    await collect(cid, { _uid: "keep" });
    const denied = await call(`/api/entity/user/_uid/keep`, { method: "DELETE", headers: { authorization: tok } });
    expect(denied.status).toBe(403);
    expect((await admin(`/api/entity/user/_uid/keep?cid=${cid}`)).status).toBe(200);
  });
});

describe("deletion requests a privacy tool polls (OneTrust, web reference 003)", () => {
  it("DELETE answers a request id; GET on it reports the state, without the identifier's value", async () => {
    const cid = await newAccount();
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "dsar@x.io", plan: "pro" });
    const res = await admin(`/api/entity/user/email/dsar@x.io?cid=${cid}`, "DELETE");
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data.request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(data.state).toBe("completed");
    const polled = await admin(`/api/entity/deletion/${data.request_id}?cid=${cid}`);
    expect(polled.status).toBe(200);
    const request = (await polled.json()).data;
    expect(request).toMatchObject({
      request_id: data.request_id,
      type: "delete",
      field: "email",
      state: "completed",
      erased_profiles: 1,
    });
    expect(JSON.stringify(request)).not.toContain("dsar@x.io");
    expect((await admin(`/api/entity/deletion/0123456789abcdef0123456789abcdef?cid=${cid}`)).status).toBe(404);
    // Only admins see requests.
    const tok = (await (await admin(`/api/token?cid=${cid}`, "POST", { name: "r", role: "reader" })).json()).data.token;
    const denied = await call(`/api/entity/deletion/${data.request_id}`, { headers: { authorization: tok } });
    expect(denied.status).toBe(403);
  });
});

describe("erasure seen from another isolate", () => {
  it("an isolate that cached the erased person's link starts a fresh profile (tombstone)", async () => {
    const { env } = await import("cloudflare:workers");
    const { profileStub } = await import("../../../edge/profiles/profile-stub");
    const { unlinkProfiles } = await import("../../../edge/identity/directory");
    const cid = await newAccount();
    await collect(cid, { _uid: "tomb", secret: "old data" });
    const before = await (await admin(`/api/entity/user/_uid/tomb?cid=${cid}&meta=true`)).json();
    // Erase as another isolate would: links and data go, this isolate's cache does not hear of it.
    const e = env as unknown as import("../../../edge/platform/env").Env;
    await unlinkProfiles(e, cid, [before.meta.id]);
    await profileStub(e, cid, before.meta.id).erase();
    await collect(cid, { _uid: "tomb", fresh: "new data" });
    const after = await (await admin(`/api/entity/user/_uid/tomb?cid=${cid}&meta=true`)).json();
    expect(after.meta.id).not.toBe(before.meta.id);
    expect(after.data.secret).toBeUndefined();
    expect(after.data.fresh).toBe("new data");
  });
});
