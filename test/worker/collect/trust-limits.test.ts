import { describe, expect, it } from "vitest";
import { call, newAccount } from "../helpers";

describe("Trust #1: legacy collect bodies are refused past the documented key and repeat limits", () => {
  it("answers the 87,000-repeat form body with 422 naming the repeat limit, and stores nothing", async () => {
    const cid = await newAccount();
    const body = `_uid=r${"&k=".repeat(87_000)}`;
    const res = await call(`/c/${cid}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(res.status).toBe(422);
    const json = (await res.json()) as { message: string; errors: { path?: string; message: string }[] };
    expect(json.message).toMatch(/pairs|repeat/);
    const stored = await call(`/api/entity/user/_uid/r?cid=${cid}`, { headers: { authorization: "test-admin-token" } });
    expect(stored.status).toBe(404);
  });

  it("answers a GET pixel with more pairs than the limit with 422", async () => {
    const cid = await newAccount();
    const qs = Array.from({ length: 5000 }, (_, i) => `f${i}=v`).join("&");
    const res = await call(`/c/${cid}?_uid=p&${qs}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/pairs|keys/);
  });
});
