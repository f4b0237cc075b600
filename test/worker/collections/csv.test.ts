import { describe, expect, it } from "vitest";
import { admin, ADMIN, call, newAccount, ok, v1 } from "../helpers";

/** Asks for an upload URL (307) and returns its path and query. */
async function uploadUrl(cid: string, collection: string): Promise<string> {
  const res = await call(`/v1/${cid}/collections/${collection}/data`, {
    method: "POST",
    headers: { authorization: `ApiKey ${ADMIN}`, "content-type": "text/csv" },
    redirect: "manual",
  });
  expect(res.status).toBe(307);
  const location = new URL(res.headers.get("location")!);
  expect(location.pathname).toMatch(new RegExp(`^/v1/${cid}/uploads/\\d+\\.[0-9a-f]{32}$`));
  expect(location.searchParams.get("token")).toBeTruthy();
  return `${location.pathname}${location.search}`;
}

function put(url: string, csv: string, method = "PUT"): Promise<Response> {
  return call(url, {
    method,
    headers: { "content-type": "text/csv", "content-length": String(new TextEncoder().encode(csv).length) },
    body: csv,
  });
}

/** Waits for an upload to finish (done or failed). */
async function finished(cid: string, uploadId: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const status = await ok(await v1(cid, `/uploads/${uploadId}`));
    if (status.state === "done" || status.state === "failed") return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("upload did not finish");
}

const uploadIdOf = (url: string) => url.split("/uploads/")[1]!.split("?")[0]!;

const customers = {
  name: "customers",
  primaryKey: "id",
  schema: {
    type: "record",
    name: "customer",
    fields: [
      { name: "id", type: "string" },
      { name: "name", type: "string" },
    ],
  },
};
const orders = {
  name: "orders",
  primaryKey: "id",
  foreignKeys: [{ field: "customerId", collection: "customers" }],
  schema: {
    type: "record",
    name: "order",
    fields: [
      { name: "id", type: "long" },
      { name: "customerId", type: ["null", "string"], default: null },
      { name: "qty", type: "int" },
      { name: "amount", type: "double" },
      { name: "status", type: { type: "enum", name: "status", symbols: ["open", "paid"] } },
      { name: "paid", type: "boolean", default: false },
      { name: "placed", type: ["null", { type: "long", logicalType: "timestamp-millis" }], default: null },
      { name: "note", type: "string", default: "" },
      { name: "tags", type: ["null", { type: "array", items: "string" }], default: null },
    ],
  },
};

describe("collections: CSV ingest", () => {
  it("ingests 10,000 rows in the background, storing good rows and reporting bad lines", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", customers), 201);
    await ok(await v1(cid, "/collections", "POST", orders), 201);
    await ok(
      await v1(cid, "/collections/customers/data", "POST", [
        { id: "c1", name: "One" },
        { id: "c2", name: "Two" },
      ]),
      201,
    );
    await ok(
      await v1(cid, "/collections/orders/data", "POST", {
        id: 5,
        customerId: "c1",
        qty: 1,
        amount: 1,
        status: "open",
        note: "original",
      }),
      201,
    );

    const lines = ["id,customerId,qty,amount,status,paid,placed,note,tags,extra"];
    const bad = new Map<number, { path?: string; message: RegExp }>(); // line → expected error
    let line = 2;
    for (let id = 1; id <= 10_000; id++) {
      let row = `${id},c${(id % 2) + 1},${id % 7},${(id / 4).toFixed(2)},${id % 3 ? "open" : "paid"},${id % 2 ? "true" : "no"},2024-01-0${(id % 9) + 1}T10:00:00Z,plain,,x`;
      let height = 1;
      if (id === 2)
        [row, height] = [
          `2,c1,1,1.5,open,yes,,"a note, with a comma,\r\na line break and ""quotes""","[""red"",""blue""]",x`,
          2,
        ];
      if (id === 5) {
        row = `5,c1,1,abc,open,true,,changed,,x`;
        bad.set(line, { path: "amount", message: /expected a number/ });
      }
      if (id === 100) {
        row = `100,c1,seven,1,open,true,,,,x`;
        bad.set(line, { path: "qty", message: /expected an integer/ });
      }
      if (id === 2500) {
        row = `2500,c1,1,1,lost,true,,,,x`;
        bad.set(line, { path: "status", message: /expected one of "open", "paid"/ });
      }
      if (id === 5000) {
        row = `5000,c1,1,1,open`;
        bad.set(line, { message: /5 values, but the header has 10 columns/ });
      }
      if (id === 7500) {
        row = `7500,c9,1,1,open,true,,,,x`;
        bad.set(line, { path: "customerId", message: /no row with primary key "c9" in collection "customers"/ });
      }
      if (id === 9999) {
        row = `9999,c1,1,1,open,true,,"bad"quote,,x`;
        bad.set(line, { message: /after a closing quote/ });
      }
      lines.push(row);
      line += height;
    }
    const csv = `${lines.join("\r\n")}\r\n`;
    const url = await uploadUrl(cid, "orders");
    const started = Date.now();
    const accepted = await ok(await put(url, csv), 202);
    expect(accepted.data).toMatchObject({ state: "queued", size: new TextEncoder().encode(csv).length });

    const status = await finished(cid, uploadIdOf(url));
    const seconds = (Date.now() - started) / 1000;
    console.log(`CSV ingest of 10,000 rows: ${seconds.toFixed(2)} s`);
    expect(status).toMatchObject({
      state: "done",
      rowsOk: 10_000 - bad.size,
      rowsFailed: bad.size,
      errorsTotal: bad.size,
      errorsTruncated: false,
      ignoredColumns: ["extra"],
    });
    expect(status.errors.map((e: any) => e.line)).toEqual([...bad.keys()]);
    for (const e of status.errors) {
      const want = bad.get(e.line)!;
      expect(e.message).toMatch(want.message);
      if (want.path) expect(e.path).toBe(want.path);
    }

    // Good rows stored with their types; bad ones not; the row that existed is unchanged.
    const collection = await ok(await v1(cid, "/collections/orders"));
    expect(collection.rows).toBe(10_000 - bad.size + 1);
    const two = await ok(await v1(cid, "/collections/orders/data/2"));
    expect(two.data).toEqual({
      id: 2,
      customerId: "c1",
      qty: 1,
      amount: 1.5,
      status: "open",
      paid: true,
      placed: null,
      note: 'a note, with a comma,\r\na line break and "quotes"',
      tags: ["red", "blue"],
    });
    const three = await ok(await v1(cid, "/collections/orders/data/3"));
    expect(three.data).toMatchObject({
      qty: 3,
      amount: 0.75,
      status: "paid",
      paid: true,
      placed: Date.UTC(2024, 0, 4, 10),
      note: "plain",
      tags: null,
    });
    expect((await ok(await v1(cid, "/collections/orders/data/4"))).data.paid).toBe(false);
    expect((await ok(await v1(cid, "/collections/orders/data/5"))).data.note).toBe("original");
    for (const id of [100, 2500, 5000, 7500, 9999])
      expect((await v1(cid, `/collections/orders/data/${id}`)).status).toBe(404);
    expect((await ok(await v1(cid, "/collections/customers"))).rows).toBe(2);

    // The URL works once.
    expect((await put(url, csv)).status).toBe(409);
  }, 60_000);

  it("processes a file larger than one chunk (1 MiB) across several alarms, records spanning chunk ends intact", async () => {
    const cid = await newAccount();
    await ok(
      await v1(cid, "/collections", "POST", {
        name: "docs",
        primaryKey: "id",
        schema: {
          type: "record",
          name: "doc",
          fields: [
            { name: "id", type: "int" },
            { name: "body", type: "string" },
          ],
        },
      }),
      201,
    );
    const body = (i: number) => `${i} ünïcode 🙂 "quoted", comma,\nnew line `.repeat(20) + i;
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},"${body(i).replace(/"/g, '""')}"`);
    const csv = `id,body\n${rows.join("\n")}\n`;
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(2.5 * 1024 * 1024);
    const url = await uploadUrl(cid, "docs");
    await ok(await put(url, csv), 202);
    expect(await finished(cid, uploadIdOf(url))).toMatchObject({
      state: "done",
      rowsOk: 3000,
      rowsFailed: 0,
      errors: [],
    });
    let next: string | null = `/v1/${cid}/collections/docs/data?limit=1000`;
    const seen: any[] = [];
    while (next) {
      const page = await ok(await call(next, { headers: { authorization: ADMIN } }));
      seen.push(...page._embedded.dataItemList);
      next = page._links.next ? new URL(page._links.next.href).pathname + new URL(page._links.next.href).search : null;
    }
    expect(seen).toHaveLength(3000);
    for (const item of seen) expect(item.data.body).toBe(body(item.data.id));
  }, 60_000);

  it("refuses bad upload URLs and reports a file that cannot be read", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", customers), 201);
    const url = await uploadUrl(cid, "customers");
    expect((await put(url.replace(/token=.*/, "token=wrong"), "id,name\n")).status).toBe(404);
    expect((await put(url.replace(/\/uploads\/[^?]+/, "/uploads/nope"), "id,name\n")).status).toBe(404);
    // A streamed body without Content-Length is refused (R2 needs the length up front); the URL stays usable.
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("id,name\n")), c.close()) });
    expect((await call(url, { method: "PUT", body: stream })).status).toBe(411);

    const accepted = await ok(await put(url, "name\nAnn\n", "POST"), 202); // POST works too (clients following the 307)
    const status = await finished(cid, accepted.data.id);
    expect(status).toMatchObject({
      state: "failed",
      message: 'line 1: the header has no column "id" (the primary key)',
      rowsOk: 0,
    });
    expect((await ok(await v1(cid, "/collections/customers"))).rows).toBe(0);

    // Without a primary key there is no upload URL.
    await ok(await v1(cid, "/collections", "POST", { name: "loose", schema: customers.schema }), 201);
    const refused = await call(`/v1/${cid}/collections/loose/data`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "text/csv" },
      redirect: "manual",
    });
    expect(refused.status).toBe(422);
    // The status endpoint needs a token.
    expect((await call(`/v1/${cid}/uploads/${accepted.data.id}`)).status).toBe(401);
  });

  it("feeds CSV rows with identifiers into profiles", async () => {
    const cid = await newAccount();
    await ok(
      await v1(cid, "/collections", "POST", {
        name: "signups",
        primaryKey: "email",
        profileIdentifier: "visitorId",
        userIdentifiers: ["email"],
        schema: {
          type: "record",
          name: "signup",
          fields: [
            { name: "email", type: "string" },
            { name: "visitorId", type: ["null", "string"] },
            { name: "plan", type: "string" },
          ],
        },
      }),
      201,
    );
    const url = await uploadUrl(cid, "signups");
    await ok(await put(url, "email,visitorId,plan\na@x.io,va,pro\nb@x.io,,free\n"), 202);
    expect(await finished(cid, uploadIdOf(url))).toMatchObject({ state: "done", rowsOk: 2 });
    expect((await ok(await admin(`/api/entity/user/email/a@x.io?cid=${cid}`))).data).toMatchObject({
      plan: "pro",
      visitorId: "va",
    });
    expect((await ok(await admin(`/api/entity/user/email/b@x.io?cid=${cid}`))).data.plan).toBe("free");
  });
});
