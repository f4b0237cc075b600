import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, ok } from "../helpers";

const entity = async (cid: string, uid: string) => admin(`/api/entity/user/_uid/${uid}?cid=${cid}`);
const form = (cid: string, body: string) =>
  call(`/c/${cid}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });

describe("Trust #6: the legacy GET and form formats validate exactly as JSON does", () => {
  it("stores toString, valueOf and hasOwnProperty like any field", async () => {
    const cid = await newAccount();
    await ok(await call(`/c/${cid}?_uid=g1&toString=a&valueOf=b&hasOwnProperty=c`));
    await ok(await form(cid, "_uid=g1&constructorName=d&isPrototypeOf=e"));
    const body = await ok(await entity(cid, "g1"));
    expect(body.data).toMatchObject({ toString: "a", valueOf: "b", hasOwnProperty: "c", isPrototypeOf: "e" });
  });

  it("answers invalid percent-encoding with 400 and stores nothing", async () => {
    const cid = await newAccount();
    for (const bad of ["x=%FF", "x=%zz", "x=%E2%82", "%C3=y"]) {
      const get = await call(`/c/${cid}?_uid=g2&${bad}`);
      expect(`${bad} ${get.status}`).toBe(`${bad} 400`);
      expect(((await get.json()) as { status: number }).status).toBe(400);
      expect((await form(cid, `_uid=g2&${bad}`)).status).toBe(400);
    }
    expect((await entity(cid, "g2")).status).toBe(404);
  });

  it("answers a malformed _js with 400 instead of dropping it", async () => {
    const cid = await newAccount();
    const res = await form(cid, `_uid=g3&_js=${encodeURIComponent('{"plan": ')}`);
    expect(res.status).toBe(400);
    expect((await entity(cid, "g3")).status).toBe(404);
  });

  it("answers __proto__ as the JSON path does (422)", async () => {
    const cid = await newAccount();
    const json = await collect(cid, '{"_uid":"g4","__proto__":"x"}');
    expect(json.status).toBe(422);
    expect((await call(`/c/${cid}?_uid=g4&__proto__=x`)).status).toBe(422);
    expect((await form(cid, `_uid=g4&__proto___json=${encodeURIComponent('{"polluted":1}')}`)).status).toBe(422);
    expect((await entity(cid, "g4")).status).toBe(404);
  });

  it("never stores the key or cid query parameters as profile fields", async () => {
    const cid = await newAccount();
    await ok(await call(`/c/${cid}?_uid=g5&key=pl_secret.token&cid=${cid}&a=1`));
    const body = await ok(await entity(cid, "g5"));
    expect(body.data.a).toBe("1");
    expect(body.data.key).toBeUndefined();
    expect(body.data.cid).toBeUndefined();
  });
});
