import { describe, expect, it } from "vitest";
import { ADMIN, admin, call, collect, newAccount, ok, personalize } from "../helpers";

/** The profile behind an identifier, read with the admin token (entity API). */
const entity = async (cid: string, field: string, value: string) =>
  ok(await admin(`/api/entity/user/${field}/${encodeURIComponent(value)}?cid=${cid}&meta=true`));

/** A server-side collect (verified identifiers), as a site's backend sends it. */
const server = async (cid: string, body: unknown) => ok(await admin(`/collect/json/crm?cid=${cid}`, "POST", body));

/** Alice and Bob, each established by the server with an email, a name and their browser's cookie id. */
async function aliceAndBob() {
  const cid = await newAccount();
  await server(cid, { _uid: "alice-cookie", email: "alice@corp.example", name: "Alice" });
  await server(cid, { _uid: "bob-cookie", email: "bob@corp.example", name: "Bob" });
  return cid;
}

describe("Trust #2: _uido moves an anonymous history, never merges identified people", () => {
  it("a browser's _uido naming Alice's cookie does not merge Bob into Alice", async () => {
    const cid = await aliceAndBob();
    const before = await entity(cid, "email", "alice@corp.example");
    await ok(await collect(cid, { _uid: "bob-cookie", _uido: "alice-cookie" }));
    const alice = await entity(cid, "email", "alice@corp.example");
    expect(alice.data).toMatchObject({ email: "alice@corp.example", name: "Alice" });
    expect(alice.data._uids).toEqual(["alice-cookie"]);
    expect(alice.meta.id).toBe(before.meta.id);
    expect(alice.meta.merged).toEqual([]);
    const bob = await entity(cid, "email", "bob@corp.example");
    expect(bob.data).toMatchObject({ email: "bob@corp.example", name: "Bob" });
    expect(bob.meta.id).not.toBe(alice.meta.id);
    expect((await entity(cid, "_uid", "alice-cookie")).meta.id).toBe(alice.meta.id);
  });

  it("a stranger's new cookie with _uido naming a victim's cookie gets none of the victim's profile", async () => {
    const cid = await aliceAndBob();
    await ok(await collect(cid, { _uid: "stranger", _uido: "alice-cookie", _e: "pv" }));
    const seen = (await personalize(cid, "stranger")).body.data.user;
    expect(seen.name).toBeUndefined();
    expect(seen._uids ?? []).not.toContain("alice-cookie");
    const alice = await entity(cid, "email", "alice@corp.example");
    expect(alice.data._uids).toEqual(["alice-cookie"]);
    expect(alice.meta.events).toBe(1);
  });

  it("setid after anonymous browsing still carries the anonymous history to the new id", async () => {
    const cid = await newAccount();
    await ok(await collect(cid, { _uid: "anon-1", plan: "trial" }));
    await ok(await collect(cid, { _uid: "account-42", _uido: "anon-1" }));
    const user = (await personalize(cid, "account-42")).body.data.user;
    expect(user.plan).toBe("trial");
    expect([...user._uids].sort()).toEqual(["account-42", "anon-1"]);
  });

  it("an anonymous history moves into an identified person's new cookie, not the other way round", async () => {
    const cid = await aliceAndBob();
    await ok(await collect(cid, { _uid: "alice-laptop", plan: "pro" }));
    await ok(await collect(cid, { _uid: "alice-cookie", _uido: "alice-laptop" }));
    const alice = await entity(cid, "email", "alice@corp.example");
    expect(alice.data).toMatchObject({ name: "Alice", plan: "pro" });
    expect([...alice.data._uids].sort()).toEqual(["alice-cookie", "alice-laptop"]);
  });
});

describe("Trust #7: ids beyond 2^53 are never rounded into another visitor's id", () => {
  it("refuses a numeric _uid that JSON cannot hold exactly (422); its text form is kept exactly", async () => {
    const cid = await newAccount();
    await ok(await collect(cid, { _uid: "9007199254740992", plan: "victim" }));
    const res = await collect(cid, '{"_uid": 9007199254740993, "plan": "attacker"}');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { path?: string }[] }).errors[0]!.path).toBe("_uid");
    expect((await entity(cid, "_uid", "9007199254740992")).data.plan).toBe("victim");
    await ok(await collect(cid, { _uid: "9007199254740993", plan: "text" }));
    expect((await entity(cid, "_uid", "9007199254740993")).data.plan).toBe("text");
    expect((await entity(cid, "_uid", "9007199254740992")).data.plan).toBe("victim");
  });

  it("a server's numeric user_id beyond 2^53 links nobody (it would be someone else's id once rounded)", async () => {
    const cid = await newAccount();
    await server(cid, { _uid: "v1", user_id: "9007199254740992", name: "Victim" });
    // Sent as raw JSON text: the number is exact on the wire, rounded only when parsed.
    await call(`/collect/json/crm?cid=${cid}`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json" },
      body: '{"_uid": "a1", "user_id": 9007199254740993, "name": "Attacker"}',
    });
    expect((await entity(cid, "user_id", "9007199254740992")).data.name).toBe("Victim");
  });
});
