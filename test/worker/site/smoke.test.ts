import { describe, expect, it } from "vitest";
import { call, collect, newAccount, personalize } from "../helpers";

describe("worker", () => {
  it("answers /health", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("collect then personalize reflects the event", async () => {
    const cid = await newAccount();
    const res = await collect(cid, { _uid: "u-1", _eid: "e1", name: "Ada", plan: "pro", secret: "x" });
    expect(res.status).toBe(200);
    const { status, body } = await personalize(cid, "u-1");
    expect(status).toBe(200);
    expect(body.data.user).toMatchObject({ _uid: "u-1", _uids: ["u-1"], name: "Ada", plan: "pro", segments: ["all"] });
    expect(body.data.user.secret).toBeUndefined();
  });
});
