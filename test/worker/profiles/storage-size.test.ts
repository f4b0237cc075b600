import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../edge/platform/env";
import { admin, newAccount } from "../helpers";

const env = testEnv as unknown as Env;

describe("a profile's storage", () => {
  it("a typical new profile (one event, an audience entered) keeps its database within 10 pages", async () => {
    const cid = await newAccount();
    const seg = await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "pro", segment_ql: 'FILTER plan = "pro"' });
    expect(seg.status).toBe(201);
    const sent = await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "42", _eid: "e1", plan: "pro" });
    expect(sent.status).toBe(200);
    const person = await (await admin(`/api/entity/user/user_id/42?cid=${cid}&meta=true`)).json();
    expect(person.data.plan).toBe("pro");
    const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${person.meta.id}`));
    const { pages, tables } = await runInDurableObject(stub, (_instance, state) => ({
      pages: state.storage.sql.databaseSize / 4096,
      tables: state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .toArray()
        .map((r) => r.name),
    }));
    // Every table and index costs a page even when empty: only what this profile used exists.
    expect(tables).not.toContain("absorbed");
    expect(tables).not.toContain("manual");
    expect(tables).not.toContain("xp_state");
    expect(pages).toBeLessThanOrEqual(10);
  }, 60_000);
});
