// Reference 001: "GET /v2/segment/{id}/jobs returns the workflow jobs associated with a segment,
// including active exports" — reevaluations and every subscription reading the audience.
import { describe, expect, it } from "vitest";
import { admin, collect, eventually, newAccount, ok } from "../helpers";

describe("v2 segment jobs", () => {
  // A reevaluation job and two subscriptions: takes 3–5 s on a loaded machine, past the 5 s default.
  it("lists reevaluations and the exports (subscriptions) of the audience, and nothing of other audiences", {
    timeout: 20_000,
  }, async () => {
    const cid = await newAccount();
    const seg = (
      await ok(
        await admin(`/v2/segment?cid=${cid}`, "POST", {
          name: "High Value Customers",
          slug_name: "high_value_customers",
          is_public: true,
          table: "user",
          segment_ql: "FILTER ltv > 100",
        }),
        201,
      )
    ).data;
    const other = (
      await ok(
        await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "others", segment_ql: "FILTER ltv < 5" }),
        201,
      )
    ).data;
    await collect(cid, { _uid: "job-1", ltv: 500 });
    await ok(await admin(`/v2/segment/${seg.id}/reevaluate?cid=${cid}`, "POST"), 202);
    const sub = (
      await ok(
        await admin(`/api/subscription?cid=${cid}`, "POST", {
          segment_ids: [seg.id],
          channel: "webhook",
          name: "crm export",
          webhook_url: "https://somewebhook.com/test",
        }),
      )
    ).data;
    await ok(
      await admin(`/api/subscription?cid=${cid}`, "POST", {
        segment_ids: [other.id],
        channel: "webhook",
        webhook_url: "https://somewebhook.com/other",
      }),
    );
    const jobs = await eventually(
      async () => (await ok(await admin(`/v2/segment/${seg.id}/jobs?cid=${cid}`))).data as any[],
      (j) => j.find((x) => x.type === "reevaluate")?.state === "completed",
    );
    expect(jobs.map((j) => j.type).sort()).toEqual(["export", "reevaluate"]);
    expect(jobs.find((j) => j.type === "export")).toMatchObject({
      id: sub.id,
      segment_id: seg.id,
      workflow: "webhook_triggers",
      name: "crm export",
      state: "active",
    });
    // Deleting the subscription ends that export.
    expect((await admin(`/api/subscription/${sub.id}?cid=${cid}`, "DELETE")).status).toBe(204);
    const after = (await ok(await admin(`/v2/segment/${seg.id}/jobs?cid=${cid}`))).data as any[];
    expect(after.map((j) => j.type)).toEqual(["reevaluate"]);
  });
});
