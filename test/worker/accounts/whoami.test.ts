import { describe, expect, it } from "vitest";
import { ADMIN, admin, call, newAccount } from "../helpers";

const whoami = (token?: string) =>
  call("/api/whoami", token === undefined ? {} : { headers: { authorization: token } });

describe("GET /api/whoami", () => {
  it("tells each token its role and account", async () => {
    const cid = await newAccount();
    const roles = ["admin", "data_manager", "reader"] as const;
    for (const role of roles) {
      const created = await admin(`/api/token?cid=${cid}`, "POST", {
        name: role,
        role,
        ...(role === "reader" ? { attributes: ["name"] } : {}),
      });
      const token = (await created.json()).data.token as string;
      const res = await whoami(`Bearer ${token}`);
      expect(res.status).toBe(200);
      expect((await res.json()).data).toEqual({
        role,
        cid,
        root: false,
        attributes: role === "reader" ? ["name"] : null,
      });
    }
    expect((await (await whoami(ADMIN)).json()).data).toEqual({
      role: "admin",
      cid: null,
      root: true,
      attributes: null,
    });
  });

  it("answers 401 without a valid token", async () => {
    expect((await whoami()).status).toBe(401);
    const res = await whoami("pl_nobody.wrong");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, message: expect.any(String) });
  });
});
