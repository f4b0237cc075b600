/**
 * A collection's stored definition (Intempt-style data tables with Avro
 * schemas), the outcome its objects answer, and new collection ids.
 */
import type { ErrorDetail } from "../../platform/http/errors";

/** A foreign key: `field` holds primary keys of `collection`. */
export interface ForeignKey {
  field: string;
  /** Id of the referenced collection. */
  collection: string;
  /** Name of the referenced collection (names never change). */
  collectionName: string;
  /** Optional name of the relation (Intempt "relations"). */
  relation: string | null;
}

/** A stored collection definition. */
export interface CollectionDef {
  id: string;
  name: string;
  source: string;
  description: string | null;
  /** The Avro record schema, as given. */
  schema: Record<string, unknown>;
  primaryKey: string | null;
  foreignKeys: ForeignKey[];
  /** Field identifying a person's profile within the source (e.g. a visitor id). */
  profileIdentifier: string | null;
  /** Fields identifying the person across sources (e.g. email); they link and merge profiles. */
  userIdentifiers: string[];
  /** Fields copied onto the person's profile; null: every field. */
  userAttributes: string[] | null;
  /** Bumped on every change. */
  version: number;
  created: string;
  updated: string;
}

/** What a registry or collection object answers instead of throwing HTTP errors. */
export type Outcome<T> =
  | { ok: true; value: T; created?: boolean }
  | { ok: false; reason: "invalid" | "conflict" | "not_found"; message: string; errors?: ErrorDetail[] };

/** A new collection id: decimal digits from the clock and randomness (like Intempt's numeric ids). */
export function newCollectionId(): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0]! % 1000;
  return String(Date.now() * 1000 + random);
}
