import { describe, expect, it } from "vitest";
import { buildDefinition } from "../../../../edge/collections/model/definition";
import { people } from "../fixtures";

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
});
