import { describe, expect, it } from "vitest";
import { csvStep, type UploadJob } from "../../../edge/collections/ingest/csv-job";
import { buildEvent, holds, matchEvents, type EventDef } from "../../../edge/collections/model/events";
import { feedItem } from "../../../edge/collections/ingest/feed";
import { missingReferences, prepareRow, targetOf } from "../../../edge/collections/ingest/prepare";
import type { CollectionDef } from "../../../edge/collections/model/collection";
import { buildDefinition } from "../../../edge/collections/model/definition";
import { writeOrder } from "../../../edge/collections/service";

function def(input: Parameters<typeof buildDefinition>[1], others: CollectionDef[] = [], id = "100"): CollectionDef {
  const built = buildDefinition(id, input, { others, previous: null, hasRows: false });
  if (!built.ok) throw new Error(JSON.stringify(built));
  return built.value;
}

const people = def({
  name: "people",
  primaryKey: "id",
  profileIdentifier: "vid",
  userIdentifiers: ["email"],
  schema: {
    type: "record",
    name: "person",
    fields: [
      { name: "id", type: "string" },
      { name: "vid", type: ["null", "string"], default: null },
      { name: "email", type: ["null", "string"], default: null },
      { name: "note", type: "string", default: "" },
      { name: "age", type: ["null", "int"], default: null },
    ],
  },
});

function job(): UploadJob {
  return {
    id: "1.x",
    collection: "100",
    state: "queued",
    size: 0,
    offset: 0,
    line: 1,
    header: null,
    ignoredColumns: [],
    rowsOk: 0,
    rowsFailed: 0,
    errors: [],
    errorsTotal: 0,
    attempts: 0,
    message: null,
    created: 0,
    expires: 0,
    started: null,
    finished: null,
  };
}

describe("collection definitions", () => {
  it("keeps the primary key while rows exist, and lets the schema only widen", () => {
    const ctx = { others: [], previous: people, hasRows: true };
    const changedKey = buildDefinition(people.id, { primaryKey: "email" }, ctx);
    expect(changedKey).toMatchObject({ ok: false, reason: "conflict" });
    const fields = (people.schema.fields as unknown[]).slice();
    const added = buildDefinition(
      people.id,
      { schema: { ...people.schema, fields: [...fields, { name: "city", type: "string" }] } },
      ctx,
    );
    expect(added).toMatchObject({
      ok: false,
      errors: [{ path: "schema.city", message: expect.stringContaining("default or a null branch") }],
    });
    const addedOptional = buildDefinition(
      people.id,
      { schema: { ...people.schema, fields: [...fields, { name: "city", type: ["null", "string"] }] } },
      ctx,
    );
    expect(addedOptional.ok).toBe(true);
    const widened = buildDefinition(
      people.id,
      {
        schema: {
          ...people.schema,
          fields: fields.map((f: any) =>
            f.name === "age" ? { name: "age", type: ["null", "long"], default: null } : f,
          ),
        },
      },
      ctx,
    );
    expect(widened.ok).toBe(true);
    const narrowed = buildDefinition(
      people.id,
      {
        schema: {
          ...people.schema,
          fields: fields.map((f: any) => (f.name === "note" ? { name: "note", type: "int", default: 0 } : f)),
        },
      },
      ctx,
    );
    expect(narrowed).toMatchObject({ ok: false, errors: [{ path: "schema.note" }] });
    expect(buildDefinition(people.id, { name: "renamed" }, ctx)).toMatchObject({
      ok: false,
      errors: [{ path: "name" }],
    });
  });

  it("allows one profile identifier field per source", () => {
    const other = buildDefinition(
      "200",
      {
        name: "visits",
        primaryKey: "id",
        profileIdentifier: "sessionId",
        schema: {
          type: "record",
          name: "v",
          fields: [
            { name: "id", type: "string" },
            { name: "sessionId", type: "string" },
          ],
        },
      },
      { others: [people], previous: null, hasRows: false },
    );
    expect(other).toMatchObject({
      ok: false,
      errors: [{ path: "profileIdentifier", message: expect.stringContaining('identifies profiles by "vid"') }],
    });
  });

  it("writes referenced collections first", () => {
    const a = { ...people, id: "1", foreignKeys: [] };
    const b = {
      ...people,
      id: "2",
      foreignKeys: [{ field: "x", collection: "1", collectionName: "a", relation: null }],
    };
    const c = {
      ...people,
      id: "3",
      foreignKeys: [{ field: "y", collection: "2", collectionName: "b", relation: null }],
    };
    expect(writeOrder([c, b, a]).map((i) => [c, b, a][i]!.id)).toEqual(["1", "2", "3"]);
  });
});

describe("rows", () => {
  it("prepares rows: key, references, matches", () => {
    const orders = def(
      {
        name: "orders",
        primaryKey: "n",
        foreignKeys: [{ field: "who", collection: "people" }],
        schema: {
          type: "record",
          name: "o",
          fields: [
            { name: "n", type: "long" },
            { name: "who", type: ["null", "string"], default: null },
          ],
        },
      },
      [people],
      "300",
    );
    const events: EventDef[] = [
      {
        name: "big",
        collection: "300",
        description: null,
        filter: [[{ field: "n", operator: "greater", value: 10 }]],
        created: "",
        updated: "",
      },
    ];
    const r = prepareRow(targetOf(orders, events), { n: 42, who: "p1" }, "[0]");
    expect(r).toEqual({
      ok: true,
      row: {
        key: "42",
        data: { n: 42, who: "p1" },
        matches: ["big"],
        refs: [{ field: "who", collection: "100", collectionName: "people", key: "p1" }],
        path: "[0]",
      },
    });
    expect(prepareRow(targetOf(people, []), { id: "" }, "")).toMatchObject({
      ok: false,
      errors: [{ path: "id", message: "the primary key may not be empty" }],
    });
  });

  it("finds references to rows that do not exist, counting rows of the same request", async () => {
    const rows = [
      {
        key: "a",
        data: {},
        matches: [],
        path: "[0]",
        refs: [{ field: "p", collection: "9", collectionName: "nine", key: "x" }],
      },
      {
        key: "b",
        data: {},
        matches: [],
        path: "[1]",
        refs: [{ field: "p", collection: "9", collectionName: "nine", key: "y" }],
      },
      {
        key: "c",
        data: {},
        matches: [],
        path: "[2]",
        refs: [{ field: "p", collection: "9", collectionName: "nine", key: "z" }],
      },
    ];
    const asked: string[][] = [];
    const missing = await missingReferences(rows, new Map([["9", new Set(["z"])]]), async (_c, keys) => {
      asked.push(keys);
      return keys.filter((k) => k === "x");
    });
    expect(asked).toEqual([["x", "y"]]);
    expect([...missing]).toEqual([
      [1, [{ path: "[1].p", message: 'no row with primary key "y" in collection "nine"' }]],
    ]);
  });

  it("turns rows with identifiers into profile events whose ids follow the content", () => {
    const item = feedItem(people, "p1", { id: "p1", vid: "v", email: "e@x.io", note: "hi", age: null }, ["m"]);
    expect(item).toMatchObject({
      event: { _e: "people", vid: "v", email: "e@x.io", note: "hi", id: "p1" },
      matches: ["m"],
    });
    expect(item!.event).not.toHaveProperty("age");
    expect(feedItem(people, "p1", { id: "p1", vid: "v", email: "e@x.io", note: "hi", age: null }, [])!.event._eid).toBe(
      item!.event._eid,
    );
    expect(
      feedItem(people, "p1", { id: "p1", vid: "v", email: "e@x.io", note: "changed", age: null }, [])!.event._eid,
    ).not.toBe(item!.event._eid);
    expect(feedItem(people, "p2", { id: "p2", vid: null, email: null, note: "", age: 3 }, [])).toBeNull();
  });
});

describe("events", () => {
  const row = { n: 5, s: "hello", tags: ["a", "b"], nested: { x: 1 }, none: null };
  it("evaluates each operator", () => {
    const t = (field: string, operator: any, value?: any) => holds({ field, operator, value }, row);
    expect([
      t("n", "equals", 5),
      t("n", "notEquals", 5),
      t("n", "greater", 4),
      t("n", "greaterOrEqual", 5),
      t("n", "less", 5),
      t("n", "lessOrEqual", 5),
    ]).toEqual([true, false, true, true, false, true]);
    expect([
      t("s", "contains", "ell"),
      t("tags", "contains", "b"),
      t("s", "in", ["x", "hello"]),
      t("nested.x", "equals", 1),
    ]).toEqual([true, true, true, true]);
    expect([t("none", "exists"), t("none", "notExists"), t("missing", "exists"), t("s", "greater", 3)]).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it("matches a sum of products", () => {
    const e = (name: string, filter: any): EventDef => ({
      name,
      collection: "1",
      description: null,
      filter,
      created: "",
      updated: "",
    });
    const events = [
      e("both", [
        [
          { field: "n", operator: "equals", value: 5 },
          { field: "s", operator: "equals", value: "nope" },
        ],
      ]),
      e("either", [[{ field: "n", operator: "equals", value: 0 }], [{ field: "s", operator: "exists" }]]),
    ];
    expect(matchEvents(events, row)).toEqual(["either"]);
  });

  it("needs a collection with a profile identifier and fields of its schema", () => {
    const noProfile = { ...people, profileIdentifier: null };
    expect(
      buildEvent(
        { name: "e", collection: "people", filter: [[{ field: "note", operator: "exists" }]] },
        noProfile,
        null,
      ),
    ).toMatchObject({ ok: false, errors: [{ path: "collection" }] });
    expect(
      buildEvent(
        { name: "e", collection: "people", filter: [[{ field: "note", operator: "in", value: "x" }]] },
        people,
        null,
      ),
    ).toMatchObject({ ok: false, errors: [{ path: "filter[0][0].value" }] });
    expect(
      buildEvent(
        { name: "e", collection: "people", filter: [[{ field: "note", operator: "equals", value: "x" }]] },
        people,
        null,
      ).ok,
    ).toBe(true);
  });
});

describe("CSV upload steps", () => {
  it("gives the same rows and errors whatever the byte ranges, across multi-byte characters", async () => {
    const target = targetOf(people, []);
    let csv = "id,vid,email,note,age\r\n";
    for (let i = 0; i < 60; i++)
      csv += i % 9 === 4 ? `${i},v,,"ünï ""ç"" 🙂\r\nx",old\r\n` : `${i},,,"naïve 🙂 ${i}",${i}\r\n`;
    const bytes = new TextEncoder().encode(csv);
    const run = async (sizes: () => number) => {
      let state = { ...job(), size: bytes.length };
      const keys: string[] = [];
      const notes: string[] = [];
      for (let guard = 0; guard < 1000; guard++) {
        const length = Math.min(sizes(), state.size - state.offset);
        const step = await csvStep(
          target,
          state,
          bytes.slice(state.offset, state.offset + length),
          state.offset + length >= state.size,
          async () => [],
        );
        keys.push(...step.rows.map((r) => r.key));
        notes.push(...step.rows.map((r) => String(r.data.note)));
        state = step.job;
        if (step.done) break;
      }
      return { state, keys, notes };
    };
    const whole = await run(() => bytes.length);
    expect(whole.state).toMatchObject({ state: "done", rowsOk: 53, rowsFailed: 7 });
    expect(whole.state.errors[0]).toEqual({ line: 6, path: "age", message: 'expected an integer (int), got "old"' });
    expect(whole.notes[1]).toBe("naïve 🙂 1");
    let seed = 3;
    for (let trial = 0; trial < 20; trial++) {
      const pieces = await run(() => 60 + ((seed = (seed * 48271) % 2147483647) % 90));
      expect(pieces.keys).toEqual(whole.keys);
      expect(pieces.notes).toEqual(whole.notes);
      expect(pieces.state.errors).toEqual(whole.state.errors);
      expect(pieces.state.rowsOk).toBe(53);
    }
  });

  it("fails an upload whose header lacks a required column or that is not UTF-8", async () => {
    const target = targetOf(people, []);
    const noKey = await csvStep(target, job(), new TextEncoder().encode("vid,email\nx,y\n"), true, async () => []);
    expect(noKey.job).toMatchObject({
      state: "failed",
      message: 'line 1: the header has no column "id" (the primary key)',
    });
    const latin1 = await csvStep(target, job(), new Uint8Array([0x69, 0x64, 0x0a, 0xe9, 0x0a]), true, async () => []);
    expect(latin1.job).toMatchObject({ state: "failed", message: "line 1: the file is not valid UTF-8" });
  });
});
