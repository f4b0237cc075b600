import { describe, expect, it } from "vitest";
import { admin, ADMIN, call, newAccount, ok, v1 } from "../helpers";

async function token(cid: string, role: string): Promise<string> {
  const res = await admin(`/api/token?cid=${cid}`, "POST", { name: role, role });
  return (await ok(res, 201)).data.token;
}

const guests = {
  name: "guests",
  source: "hotel",
  primaryKey: "id",
  profileIdentifier: "visitorId",
  userIdentifiers: ["email"],
  schema: {
    type: "record",
    name: "guest",
    fields: [
      { name: "id", type: "long" },
      { name: "visitorId", type: ["null", "string"], default: null },
      { name: "email", type: ["null", "string"], default: null },
      { name: "name", type: "string" },
      { name: "tier", type: { type: "enum", name: "tier", symbols: ["basic", "gold"] }, default: "basic" },
    ],
  },
};

const bookings = {
  name: "bookings",
  source: "hotel",
  primaryKey: "id",
  profileIdentifier: "visitorId",
  foreignKeys: [{ field: "guestId", collection: "guests", relation: "guest" }],
  schema: {
    type: "record",
    name: "booking",
    fields: [
      { name: "id", type: "string" },
      { name: "visitorId", type: ["null", "string"], default: null },
      { name: "guestId", type: ["null", "long"], default: null },
      { name: "nights", type: "int" },
      { name: "bookedAt", type: { type: "long", logicalType: "timestamp-millis" } },
      { name: "price", type: ["null", "string", "double"], default: null },
      { name: "extras", type: { type: "array", items: "string" }, default: [] },
    ],
  },
};

describe("collections: definitions", () => {
  it("creates, lists, reads, updates and deletes a collection", async () => {
    const cid = await newAccount();
    const created = await ok(await v1(cid, "/collections", "POST", guests), 201);
    expect(created).toMatchObject({
      name: "guests",
      source: "hotel",
      primaryKey: "id",
      profileIdentifier: "visitorId",
      userIdentifiers: ["email"],
      version: 1,
      rows: 0,
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created._links.self.href).toContain(`/v1/${cid}/collections/${created.id}`);

    const list = await ok(await v1(cid, "/collections"));
    expect(list._embedded.collections.map((c: any) => c.name)).toEqual(["guests"]);
    expect((await ok(await v1(cid, `/collections/${created.id}`))).schema).toEqual(guests.schema);
    expect((await ok(await v1(cid, "/collections/guests"))).id).toBe(created.id);

    const updated = await ok(await v1(cid, "/collections/guests", "PUT", { description: "hotel guests" }));
    expect(updated).toMatchObject({ description: "hotel guests", version: 2, primaryKey: "id" });

    expect((await v1(cid, "/collections", "POST", guests)).status).toBe(409);
    const deleted = await ok(await v1(cid, "/collections/guests", "DELETE"));
    expect(deleted.id).toBe(created.id);
    expect((await v1(cid, `/collections/${created.id}`)).status).toBe(404);
    expect((await ok(await v1(cid, "/collections")))._embedded.collections).toEqual([]);
  });

  it("refuses invalid Avro schemas with 422 naming the part", async () => {
    const cid = await newAccount();
    const cases: [unknown, string, RegExp][] = [
      [{ type: "array", items: "string" }, "schema.type", /record/],
      [
        { type: "record", name: "x", fields: [{ name: "a", type: "strng" }] },
        "schema.fields[0].type",
        /unknown type "strng"/,
      ],
      [
        {
          type: "record",
          name: "x",
          fields: [
            { name: "a", type: "int" },
            { name: "a", type: "int" },
          ],
        },
        "schema.fields[1].name",
        /twice/,
      ],
      [
        { type: "record", name: "x", fields: [{ name: "n", type: "int", default: "seven" }] },
        "schema.fields[0].default",
        /invalid default/,
      ],
      [
        { type: "record", name: "x", fields: [{ name: "e", type: { type: "enum", name: "e", symbols: [] } }] },
        "schema.fields[0].type.symbols",
        /symbols/,
      ],
    ];
    for (const [schema, path, message] of cases) {
      const body = await ok(await v1(cid, "/collections", "POST", { name: "c", schema }), 422);
      expect(body.status).toBe(422);
      expect(body.errors).toContainEqual({ path, message: expect.stringMatching(message) });
    }
    const badKey = await ok(await v1(cid, "/collections", "POST", { ...guests, primaryKey: "tier" }), 422);
    expect(badKey.errors).toContainEqual({
      path: "primaryKey",
      message: expect.stringContaining("string, int or long"),
    });
    const noProfile = await ok(await v1(cid, "/collections", "POST", { ...guests, profileIdentifier: null }), 422);
    expect(noProfile.errors[0].path).toBe("userIdentifiers");
  });

  it("checks foreign keys against the referenced collection's primary key", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", guests), 201);
    const missing = await ok(
      await v1(cid, "/collections", "POST", { ...bookings, foreignKeys: [{ field: "guestId", collection: "nobody" }] }),
      422,
    );
    expect(missing.errors).toContainEqual({ path: "foreignKeys[0].collection", message: 'no collection "nobody"' });
    const wrongType = await ok(
      await v1(cid, "/collections", "POST", { ...bookings, foreignKeys: [{ field: "id", collection: "guests" }] }),
      422,
    );
    expect(wrongType.errors[0]).toMatchObject({
      path: "foreignKeys[0].field",
      message: expect.stringContaining("primary key"),
    });
    const created = await ok(await v1(cid, "/collections", "POST", bookings), 201);
    expect(created.foreignKeys).toEqual([
      { field: "guestId", collection: expect.stringMatching(/^\d+$/), collectionName: "guests", relation: "guest" },
    ]);
    // A referenced collection cannot be deleted.
    const refused = await ok(await v1(cid, "/collections/guests", "DELETE"), 409);
    expect(refused.message).toContain('"bookings"');
  });
});

describe("collections: data", () => {
  it("requires a primary key before data is stored", async () => {
    const cid = await newAccount();
    await ok(
      await v1(cid, "/collections", "POST", {
        name: "notes",
        schema: { type: "record", name: "note", fields: [{ name: "text", type: "string" }] },
      }),
      201,
    );
    const refused = await ok(await v1(cid, "/collections/notes/data", "POST", { text: "hi" }), 422);
    expect(refused.errors[0].message).toContain("no primary key");
    await ok(await v1(cid, "/collections/notes", "PUT", { primaryKey: "text" }));
    await ok(await v1(cid, "/collections/notes/data", "POST", { text: "hi" }), 201);
  });

  it("stores, upserts, lists (paginated), reads and deletes data items", async () => {
    const cid = await newAccount();
    const coll = await ok(
      await v1(cid, "/collections", "POST", { ...guests, source: "crm", profileIdentifier: null, userIdentifiers: [] }),
      201,
    );
    const stored = await ok(
      await v1(cid, "/collections/guests/data", "POST", [
        { id: 1, name: "Ann" },
        { id: 2, name: "Bob", tier: "gold", unknown: "ignored" },
      ]),
      201,
    );
    expect(stored.data[0]).toMatchObject({ collection: "guests", received: 2, created: 2, updated: 0 });

    const one = await ok(await v1(cid, `/collections/${coll.id}/data/2`));
    expect(one).toMatchObject({
      // Numbers, as Intempt's ids: the collection's id, and the item's integer primary key.
      collId: Number(coll.id),
      id: 2,
      data: { id: 2, name: "Bob", tier: "gold", visitorId: null, email: null },
      matches: [],
    });
    expect(one.data).not.toHaveProperty("unknown");

    const again = await ok(await v1(cid, "/collections/guests/data", "POST", { id: 1, name: "Ann B." }), 201);
    expect(again.data[0]).toMatchObject({ created: 0, updated: 1 });
    expect((await ok(await v1(cid, "/collections/guests/data/1"))).data.name).toBe("Ann B.");

    await ok(
      await v1(
        cid,
        "/collections/guests/data",
        "POST",
        [3, 4, 5].map((id) => ({ id, name: `G${id}` })),
      ),
      201,
    );
    const page1 = await ok(await v1(cid, "/collections/guests/data?limit=2"));
    expect(page1.page).toEqual({ size: 2, totalElements: 5 });
    expect(page1._embedded.dataItemList.map((d: any) => d.id)).toEqual([1, 2]);
    const next = new URL(page1._links.next.href);
    const page2 = await ok(await call(`${next.pathname}${next.search}`, { headers: { authorization: ADMIN } }));
    expect(page2._embedded.dataItemList.map((d: any) => d.id)).toEqual([3, 4]);
    const next2 = new URL(page2._links.next.href);
    const page3 = await ok(await call(`${next2.pathname}${next2.search}`, { headers: { authorization: ADMIN } }));
    expect(page3._embedded.dataItemList.map((d: any) => d.id)).toEqual([5]);
    expect(page3._links.next).toBeUndefined();

    const deleted = await ok(await v1(cid, "/collections/guests/data/3", "DELETE"));
    expect(deleted.data.name).toBe("G3");
    expect((await v1(cid, "/collections/guests/data/3")).status).toBe(404);
    expect((await v1(cid, "/collections/guests/data/3", "DELETE")).status).toBe(404);
    expect((await ok(await v1(cid, "/collections/guests"))).rows).toBe(4);
  });

  it("refuses a request with any invalid row, naming each field, and stores nothing", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", guests), 201);
    await ok(await v1(cid, "/collections", "POST", bookings), 201);
    const body = await ok(
      await v1(cid, "/collections/bookings/data", "POST", [
        { id: "b1", nights: 2, bookedAt: "2024-05-01T10:00:00Z" },
        { id: "b2", nights: "two", bookedAt: 1 },
        { id: "b3", nights: 1, bookedAt: 1, extras: ["ok", 5] },
        { id: "b4", bookedAt: 1 },
        { id: "b5", nights: 1, bookedAt: 1, price: true },
      ]),
      422,
    );
    expect(body).toMatchObject({ status: 422, message: expect.stringContaining("nothing was stored") });
    expect(body.errors).toEqual([
      { path: "[1].nights", message: 'expected int, got string "two"' },
      { path: "[2].extras[1]", message: "expected string, got number 5" },
      { path: "[3].nights", message: expect.stringContaining('required field "nights"') },
      { path: "[4].price", message: expect.stringContaining("matches no type") },
    ]);
    expect((await ok(await v1(cid, "/collections/bookings/data")))._embedded.dataItemList).toEqual([]);

    // Union values may be wrapped; ISO timestamps become epoch milliseconds.
    await ok(
      await v1(cid, "/collections/bookings/data", "POST", {
        id: "b6",
        nights: 1,
        bookedAt: "2024-05-01T00:00:00Z",
        price: { double: 3.5 },
      }),
      201,
    );
    expect((await ok(await v1(cid, "/collections/bookings/data/b6"))).data).toMatchObject({
      bookedAt: Date.UTC(2024, 4, 1),
      price: 3.5,
      extras: [],
    });
  });

  it("checks foreign keys on write and accepts rows referenced in the same request", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", guests), 201);
    await ok(await v1(cid, "/collections", "POST", bookings), 201);
    const refused = await ok(
      await v1(cid, "/collections/bookings/data", "POST", { id: "b1", guestId: 7, nights: 1, bookedAt: 0 }),
      422,
    );
    expect(refused.errors).toEqual([
      { path: "guestId", message: 'no row with primary key "7" in collection "guests"' },
    ]);
    await ok(await v1(cid, "/collections/guests/data", "POST", { id: 7, name: "Gus" }), 201);
    await ok(
      await v1(cid, "/collections/bookings/data", "POST", { id: "b1", guestId: 7, nights: 1, bookedAt: 0 }),
      201,
    );
    // null foreign keys are not checked
    await ok(
      await v1(cid, "/collections/bookings/data", "POST", { id: "b2", guestId: null, nights: 1, bookedAt: 0 }),
      201,
    );

    // Sources: several collections in one body; a booking may refer to a guest of the same body.
    const res = await ok(
      await v1(cid, "/sources/hotel/data", "POST", {
        bookings: [{ id: "b3", guestId: 8, nights: 3, bookedAt: 0 }],
        guests: [
          { id: 8, name: "Hal" },
          { id: 9, name: "Ivy" },
        ],
      }),
      201,
    );
    expect(res.data.map((d: any) => [d.collection, d.received])).toEqual([
      ["bookings", 1],
      ["guests", 2],
    ]);
    expect((await ok(await v1(cid, "/collections/bookings/data/b3"))).data.guestId).toBe(8);
    expect((await ok(await v1(cid, "/collections/guests"))).rows).toBe(3);

    const bad = await ok(
      await v1(cid, "/sources/hotel/data", "POST", {
        guests: [{ id: 10, name: "Jo" }],
        bookings: [{ id: "b4", guestId: 11, nights: 1, bookedAt: 0 }],
        rooms: [{}],
      }),
      422,
    );
    expect(bad.errors).toEqual([{ path: "rooms", message: expect.stringContaining('no collection "rooms"') }]);
    const badRef = await ok(
      await v1(cid, "/sources/hotel/data", "POST", {
        guests: [{ id: 10, name: "Jo" }],
        bookings: [{ id: "b4", guestId: 11, nights: 1, bookedAt: 0 }],
      }),
      422,
    );
    expect(badRef.errors).toEqual([
      { path: "bookings[0].guestId", message: 'no row with primary key "11" in collection "guests"' },
    ]);
    expect((await v1(cid, "/collections/guests/data/10")).status).toBe(404);
    expect((await v1(cid, "/sources/nowhere/data", "POST", { guests: [] })).status).toBe(404);
  });
});

describe("collections: profiles and events", () => {
  it("feeds rows with identifiers into the person's profile and merges by user identifier", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", guests), 201);
    await ok(
      await v1(cid, "/collections/guests/data", "POST", { id: 1, visitorId: "v-1", name: "Ann", tier: "gold" }),
      201,
    );
    const byVisitor = await ok(await admin(`/api/entity/user/visitorId/v-1?cid=${cid}&meta=true`));
    expect(byVisitor.data).toMatchObject({ name: "Ann", tier: "gold", visitorId: "v-1" });
    // A later row with the same visitor and an email links the email to the same person.
    await ok(
      await v1(cid, "/collections/guests/data", "POST", {
        id: 1,
        visitorId: "v-1",
        email: "Ann@Example.com",
        name: "Ann",
      }),
      201,
    );
    const byEmail = await ok(await admin(`/api/entity/user/email/ann@example.com?cid=${cid}&meta=true`));
    expect(byEmail.meta.id).toBe(byVisitor.meta.id);
    // A row without any identifier value feeds nobody.
    await ok(await v1(cid, "/collections/guests/data", "POST", { id: 2, name: "Nobody" }), 201);
    expect((await admin(`/api/entity/user/name/Nobody?cid=${cid}`)).status).toBe(404);
  });

  it("records events matched by a person's rows, across merged profiles", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", guests), 201);
    await ok(await v1(cid, "/collections", "POST", { ...bookings, foreignKeys: [] }), 201);
    const event = await ok(
      await v1(cid, "/events", "POST", {
        name: "longStay",
        collection: "bookings",
        filter: [[{ field: "nights", operator: "greaterOrEqual", value: 7 }]],
      }),
      201,
    );
    expect(event).toMatchObject({
      name: "longStay",
      filter: [[{ field: "nights", operator: "greaterOrEqual", value: 7 }]],
    });
    await ok(
      await v1(cid, "/events", "POST", {
        name: "gold",
        collection: "guests",
        filter: [
          [{ field: "tier", operator: "equals", value: "gold" }],
          [{ field: "email", operator: "contains", value: "@vip." }],
        ],
      }),
      201,
    );
    const invalid = await ok(
      await v1(cid, "/events", "POST", {
        name: "x",
        collection: "bookings",
        filter: [[{ field: "nope", operator: "exists" }]],
      }),
      422,
    );
    expect(invalid.errors).toEqual([
      { path: "filter[0][0].field", message: '"nope" is not a field of collection "bookings"' },
    ]);

    const short = await ok(
      await v1(cid, "/collections/bookings/data", "POST", { id: "s", visitorId: "v-a", nights: 2, bookedAt: 0 }),
      201,
    );
    expect(short.data[0].items).toEqual([{ id: "s", matches: [] }]);
    const long = await ok(
      await v1(cid, "/collections/bookings/data", "POST", { id: "l", visitorId: "v-a", nights: 9, bookedAt: 0 }),
      201,
    );
    expect(long.data[0].items).toEqual([{ id: "l", matches: ["longStay"] }]);
    expect((await ok(await v1(cid, "/collections/bookings/data/l"))).matches).toEqual(["longStay"]);

    const a = (await ok(await admin(`/api/entity/user/visitorId/v-a?cid=${cid}&meta=true`))).meta.id;
    const first = await ok(await v1(cid, `/events/matches?profileId=${a}`));
    expect(first).toMatchObject({ masterId: a, profileIds: [a], matchedEvents: ["longStay"] });
    expect(Date.parse(first.lastUpdated)).toBeGreaterThan(Date.now() - 60_000);

    // Another visitor with a gold row, then one row carrying both visitor ids' email merges them.
    await ok(
      await v1(cid, "/collections/guests/data", "POST", {
        id: 5,
        visitorId: "v-b",
        email: "b@x.io",
        name: "B",
        tier: "gold",
      }),
      201,
    );
    const b = (await ok(await admin(`/api/entity/user/visitorId/v-b?cid=${cid}&meta=true`))).meta.id;
    expect((await ok(await v1(cid, `/events/matches?profileId=${b}`))).matchedEvents).toEqual(["gold"]);
    await ok(
      await v1(cid, "/collections/guests/data", "POST", { id: 6, visitorId: "v-a", email: "b@x.io", name: "B" }),
      201,
    );
    const merged = await ok(await v1(cid, `/events/matches?profileId=${b}`));
    expect(merged.profileIds.sort()).toEqual([a, b].sort());
    expect(merged.matchedEvents.sort()).toEqual(["gold", "longStay"]);
    expect((await ok(await v1(cid, `/events/matches?masterId=${merged.masterId}`))).matchedEvents.sort()).toEqual([
      "gold",
      "longStay",
    ]);

    expect((await v1(cid, "/events/matches")).status).toBe(400);
    expect((await v1(cid, "/events/matches?profileId=nobody")).status).toBe(404);
    expect((await ok(await v1(cid, "/events")))._embedded.events.map((e: any) => e.name)).toEqual(["gold", "longStay"]);
    await ok(await v1(cid, "/events/gold", "DELETE"));
    expect((await v1(cid, "/events/gold", "DELETE")).status).toBe(404);
  });
});

describe("collections: authorization", () => {
  it("needs a token, a writing role to write, and the token's own account", async () => {
    const cid = await newAccount();
    const other = await newAccount();
    expect((await v1(cid, "/collections", "GET", undefined, null)).status).toBe(401);
    expect((await v1(cid, "/collections", "POST", guests, null)).status).toBe(401);

    const reader = await token(cid, "reader");
    const writer = await token(cid, "data_manager");
    expect((await v1(cid, "/collections", "POST", guests, reader)).status).toBe(403);
    // Intempt's header form.
    await ok(await v1(cid, "/collections", "POST", guests, `ApiKey ${writer}`), 201);
    await ok(await v1(cid, "/collections", "GET", undefined, `ApiKey ${reader}`));
    expect((await v1(cid, "/collections/guests/data", "POST", { id: 1, name: "A" }, reader)).status).toBe(403);
    await ok(await v1(cid, "/collections/guests/data", "POST", { id: 1, name: "A" }, writer), 201);
    // ?key= works for reads.
    await ok(await call(`/v1/${cid}/collections/guests/data/1?key=${reader}`));
    // A token of another account is refused.
    expect((await v1(other, "/collections", "GET", undefined, reader)).status).toBe(403);
    expect((await v1("no-such-account", "/collections")).status).toBe(404);
  });

  it("documents every collections route in /openapi.json", async () => {
    const doc = await ok(await call("/openapi.json"));
    for (const path of [
      "/v1/{org}/collections",
      "/v1/{org}/collections/{id}",
      "/v1/{org}/collections/{id}/data",
      "/v1/{org}/collections/{id}/data/{itemId}",
      "/v1/{org}/uploads/{uploadId}",
      "/v1/{org}/sources/{id}/data",
      "/v1/{org}/events",
      "/v1/{org}/events/matches",
      "/v1/{org}/events/{name}",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
