import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, ok, ORIGIN } from "../helpers";

/** `/personalize` by a field, as a browser on an allowlisted origin. */
async function byField(cid: string, field: string, value: string) {
  const res = await call(`/personalize?cid=${cid}&field=${field}&value=${encodeURIComponent(value)}`, {
    headers: { origin: ORIGIN },
  });
  return (await ok(res)).data.user as Record<string, unknown>;
}

describe("Trust #5: field lookups answer through verified links only and reveal no browser's _uids", () => {
  it("a browser that typed the CFO's email is not the CFO: the lookup answers nothing of it", async () => {
    const cid = await newAccount({ public_personalization: true, personalize_fields: ["email"] });
    await ok(await collect(cid, { _uid: "typist", email: "cfo@corp.example", name: "Typist" }));
    const user = await byField(cid, "email", "cfo@corp.example");
    expect(user.name).toBeUndefined();
    expect(user._uids ?? []).toEqual([]);
  });

  it("a verified person is found by field, without other browsers' cookie ids", async () => {
    const cid = await newAccount({ public_personalization: true, personalize_fields: ["email"] });
    await ok(await collect(cid, { _uid: "typist", email: "cfo@corp.example", name: "Typist" }));
    await ok(
      await admin(`/collect/json/crm?cid=${cid}`, "POST", {
        _uid: "cfo-cookie",
        email: "cfo@corp.example",
        name: "CFO",
      }),
    );
    const user = await byField(cid, "email", "cfo@corp.example");
    expect(user.name).toBe("CFO");
    expect(user._uids ?? []).toEqual([]);
    expect(JSON.stringify(user)).not.toContain("cfo-cookie");
  });
});
