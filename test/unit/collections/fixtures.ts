/** Collections shared by the collections unit tests: a people collection built as the API builds one, and a fresh upload job. */
import type { UploadJob } from "../../../edge/collections/ingest/csv-job";
import { newCsvJobProgress } from "../../../edge/platform/csv-chunks";
import type { CollectionDef } from "../../../edge/collections/model/collection";
import { buildDefinition } from "../../../edge/collections/model/definition";

export function def(
  input: Parameters<typeof buildDefinition>[1],
  others: CollectionDef[] = [],
  id = "100",
): CollectionDef {
  const built = buildDefinition(id, input, { others, previous: null, hasRows: false });
  if (!built.ok) throw new Error(JSON.stringify(built));
  return built.value;
}

export const people = def({
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

export function job(): UploadJob {
  return { id: "1.x", collection: "100", state: "queued", ...newCsvJobProgress(0, 0), expires: 0 };
}
