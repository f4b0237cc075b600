import { describe, expect, it } from "vitest";
import { signIdentity } from "../../../edge/identity/signatures";
import { admin, collect, newAccount, ok, personalize } from "../helpers";

/**
 * Identity attacks from a browser, each asserting the victim's profile is
 * untouched. With the `_uido` cases (trust-identity.test.ts) and the field
 * lookups (trust-lookups.test.ts) this is the identity-attack suite.
 */
let cases = 0;
const entity = async (cid: string, field: string, value: string) =>
  ok(await admin(`/api/entity/user/${field}/${encodeURIComponent(value)}?cid=${cid}&meta=true`));

async function victim() {
  const cid = await newAccount();
  await ok(
    await admin(`/collect/json/crm?cid=${cid}`, "POST", {
      _uid: "victim-cookie",
      email: "victim@corp.example",
      name: "Victim",
      plan: "enterprise",
    }),
  );
  return { cid, before: await entity(cid, "email", "victim@corp.example") };
}

/** The victim's profile reads back exactly as before the attack. */
async function untouched(cid: string, before: { data: Record<string, unknown>; meta: Record<string, unknown> }) {
  const after = await entity(cid, "email", "victim@corp.example");
  expect(after.data.name).toBe(before.data.name);
  expect(after.data.plan).toBe(before.data.plan);
  expect(after.data._uids).toEqual(before.data._uids);
  expect(after.meta.id).toBe(before.meta.id);
  expect(after.meta.merged).toEqual(before.meta.merged);
  cases++;
}

describe("Trust identity-attack suite", () => {
  it("a browser typing the victim's email gets nothing of the victim and changes nothing", async () => {
    const { cid, before } = await victim();
    await ok(await collect(cid, { _uid: "attacker", email: "victim@corp.example", name: "Mallory", plan: "free" }));
    const seen = (await personalize(cid, "attacker")).body.data.user;
    expect(seen.name).toBe("Mallory");
    expect(seen.plan).toBe("free");
    await untouched(cid, before);
  });

  it("a signature replayed with another identifier does not verify it", async () => {
    const { cid, before } = await victim();
    const secret = (await ok(await admin(`/api/account/identity-secret?cid=${cid}`, "POST"))).data.secret as string;
    const own = await signIdentity(secret, { field: "email", value: "attacker@corp.example" });
    await ok(
      await collect(cid, { _uid: "attacker", email: "victim@corp.example", _idsig: { email: own }, name: "Mallory" }),
    );
    expect((await personalize(cid, "attacker")).body.data.user.plan).toBeUndefined();
    await untouched(cid, before);
  });

  it("merges racing an erase leave the victim untouched and the erased person gone", async () => {
    const { cid, before } = await victim();
    await ok(await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: "gone-1", user_id: "erase-me" }));
    await Promise.all([
      admin(`/api/entity/user/user_id/erase-me?cid=${cid}`, "DELETE"),
      ...Array.from({ length: 6 }, (_, i) =>
        admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: `gone-${i + 2}`, user_id: "erase-me" }),
      ),
      collect(cid, { _uid: "victim-cookie", _uido: "gone-1" }),
    ]);
    await untouched(cid, before);
    console.log(`trust identity-attack suite: ${cases} cases (plus the _uido, numeric-id and field-lookup files)`);
  });
});
