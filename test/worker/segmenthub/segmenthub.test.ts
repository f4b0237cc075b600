import { describe, expect, it } from "vitest";
import { admin, call, newAccount, ORIGIN } from "../helpers";

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function tokenFor(cid: string, role: string, attributes?: string[]): Promise<string> {
  return (
    await (
      await admin(`/api/token?cid=${cid}`, "POST", { name: role, role, ...(attributes ? { attributes } : {}) })
    ).json()
  ).data.token;
}

describe("SegmentHub API", () => {
  it("profiles: update attributes, query them as value lists, assign and remove segments", async () => {
    const cid = await newAccount();
    const token = await tokenFor(cid, "data_manager");
    await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "vip", name: "VIP", kind: "manual" });
    await admin(`/v2/segment?cid=${cid}`, "POST", {
      slug_name: "churn",
      name: "Churn",
      segment_ql: `FILTER lastName = "Doe"`,
    });
    const saved = await post("/profiles/attributes", {
      account: cid,
      profileId: "u-100",
      token,
      attributes: { firstName: "John", lastName: "Doe", lastViewedProducts: ["SKU1", "SKU2"] },
    });
    expect(await saved.json()).toEqual({
      status: 200,
      profileId: "u-100",
      message: "Profile attributes saved successfully.",
      errors: [],
    });
    const assigned = await post("/profiles/segments", { account: cid, profileId: "u-100", token, assignees: ["VIP"] });
    expect((await assigned.json()).segments.sort()).toEqual(["churn", "vip"]);
    const q = await post("/profiles/query", {
      account: cid,
      token,
      profileId: "u-100",
      attributes: ["firstName", "lastViewedProducts", "country"],
      segments: ["VIP", "Churn", "nope"],
    });
    expect(await q.json()).toEqual({
      status: 200,
      message: "Profile queried successfully.",
      errors: [],
      attributes: {
        firstName: [{ value: "John" }],
        lastViewedProducts: [{ value: "SKU1" }, { value: "SKU2" }],
        country: [],
      },
      segments: ["VIP", "Churn"],
    });
    // Removing by hand beats the rule; the manual audience empties.
    await post("/profiles/segments", { account: cid, profileId: "u-100", token, removes: ["churn", "vip"] });
    const after = await (await post("/profiles/query", { account: cid, token, profileId: "u-100" })).json();
    expect(after.segments).toEqual([]);
    // Lytics-side view of the same person.
    expect((await (await admin(`/api/entity/user/user_id/u-100?cid=${cid}`)).json()).data.firstName).toBe("John");
  });

  it("visitors are the _uid cookie; the header token works too", async () => {
    const cid = await newAccount();
    const token = await tokenFor(cid, "admin");
    await post(
      "/visitors/attributes",
      { account: cid, visitorId: "v-1", attributes: { gender: "Man", favoriteBrands: ["Nike", "adidas"] } },
      { authorization: token },
    );
    const q = await (
      await post(
        "/visitors/query",
        { account: cid, visitorId: "v-1", attributes: ["favoriteBrands"] },
        { authorization: token },
      )
    ).json();
    expect(q.attributes).toEqual({ favoriteBrands: [{ value: "Nike" }, { value: "adidas" }] });
    expect((await (await admin(`/api/entity/user/_uid/v-1?cid=${cid}`)).json()).data.gender).toBe("Man");
  });

  it("answers every documented error code", async () => {
    const cid = await newAccount();
    const reader = await tokenFor(cid, "reader", ["country"]);
    await post("/visitors/attributes", {
      account: cid,
      visitorId: "e-1",
      token: await tokenFor(cid, "admin"),
      attributes: { country: "us", secret: "x" },
    });
    expect((await post("/profiles/query", { token: reader, profileId: "x" })).status).toBe(400);
    expect((await post("/profiles/query", { account: cid, token: "wrong-token-value", profileId: "x" })).status).toBe(
      401,
    );
    expect(
      (await post("/visitors/query", { account: cid, token: reader, visitorId: "e-1", attributes: ["secret"] })).status,
    ).toBe(403);
    expect(
      (
        await post("/visitors/attributes", {
          account: cid,
          token: reader,
          visitorId: "e-1",
          attributes: { country: "de" },
        })
      ).status,
    ).toBe(403);
    expect((await post("/profiles/query", { account: "no-such-acct", token: reader, profileId: "x" })).status).toBe(
      404,
    );
    expect((await post("/profiles/query", { account: cid, token: reader, profileId: "never" })).status).toBe(404);
    const text = await call("/profiles/query", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ status: 415, message: "the API only accepts application/json", errors: [] });
    const limited = await (await post("/visitors/query", { account: cid, token: reader, visitorId: "e-1" })).json();
    expect(limited.attributes).toEqual({ country: [{ value: "us" }] });
    expect(
      (
        await post("/profiles/segments", {
          account: cid,
          token: await tokenFor(cid, "admin"),
          profileId: "p",
          assignees: ["ghost"],
        })
      ).status,
    ).toBe(400);
  });

  it("campaigns/query records page views, product views and purchases on the visitor", async () => {
    const cid = await newAccount();
    const base = {
      account: cid,
      visitorId: "c-1",
      profileId: "buyer-1",
      platform: "www.example.com",
      device: "mobile",
      path: "/",
      referrer: null,
    };
    const pv = await post("/campaigns/query", { ...base, event: "pageView" }, { origin: ORIGIN });
    expect(await pv.json()).toEqual({ status: 200, message: "Campaigns executed successfully.", campaigns: [] });
    await post(
      "/campaigns/query",
      { ...base, event: "productView", sku: "SKU-9", price: 99.9, brand: "Acme", category: "shoes" },
      { origin: ORIGIN },
    );
    await post(
      "/campaigns/query",
      { ...base, event: "purchase", orderId: "o-1", orderTotal: 199.9, purchasedItems: ["SKU-9"] },
      { origin: ORIGIN },
    );
    const profile = await (await admin(`/api/entity/user/_uid/c-1?cid=${cid}&meta=true`)).json();
    expect(profile.data).toMatchObject({
      sku: "SKU-9",
      brand: "Acme",
      orderId: "o-1",
      purchasedItems: ["SKU-9"],
      platform: "www.example.com",
    });
    expect(profile.meta.events).toBe(3);
    expect((await post("/campaigns/query", { ...base, event: "productView" }, { origin: ORIGIN })).status).toBe(400);
    expect(
      (await post("/campaigns/query", { ...base, event: "pageView" }, { origin: "https://evil.example" })).status,
    ).toBe(403);
  });

  it("campaigns/query: custom event names are accepted and recorded; price as the reference sends it", async () => {
    const cid = await newAccount();
    const common = {
      account: cid,
      visitorId: "3b2f0c1e-8d7a-4f7e-9a55-0d6f1f0d2c11",
      profileId: "buyer-2",
      platform: "www.example.com",
      device: "mobile",
      path: "/",
      referrer: null,
    };
    // Reference 004's product view body, price 99.90 as a JSON number.
    const pv = await post(
      "/campaigns/query",
      {
        ...common,
        event: "productView",
        sku: "PRODUCT_SKU_HERE",
        price: 99.9,
        brand: "PRODUCT_BRAND_HERE",
        breadcrumb: "PRODUCT_BREADCRUMB_HERE",
        category: "PRODUCT_CATEGORY_HERE",
      },
      { origin: ORIGIN },
    );
    expect(pv.status).toBe(200);
    // "US format locale": a string amount with thousands separators.
    const us = await post(
      "/campaigns/query",
      { ...common, event: "productView", sku: "BIG", price: "1,299.90" },
      { origin: ORIGIN },
    );
    expect(us.status).toBe(200);
    let profile = (await (await admin(`/api/entity/user/_uid/${common.visitorId}?cid=${cid}`)).json()).data;
    expect(profile.price).toBe(1299.9);
    // An event created in the panel under its own name.
    const custom = await post(
      "/campaigns/query",
      { ...common, event: "addToCart", sku: "SKU-7", quantity: 2 },
      { origin: ORIGIN },
    );
    expect(await custom.json()).toEqual({ status: 200, message: "Campaigns executed successfully.", campaigns: [] });
    const res = await (await admin(`/api/entity/user/_uid/${common.visitorId}?cid=${cid}&meta=true`)).json();
    profile = res.data;
    expect(profile).toMatchObject({ event: "addToCart", sku: "SKU-7", quantity: 2 });
    expect(res.meta.events).toBe(3);
    // Bad names and bad amounts are refused with a clear error.
    const bad = await post("/campaigns/query", { ...common, event: "add to cart!" }, { origin: ORIGIN });
    expect(bad.status).toBe(400);
    const badPrice = await post(
      "/campaigns/query",
      { ...common, event: "productView", sku: "X", price: "ninety" },
      { origin: ORIGIN },
    );
    expect(badPrice.status).toBe(400);
  });
});
