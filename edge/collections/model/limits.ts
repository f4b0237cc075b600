/** Limits and identifier shapes of collections (Intempt-style data tables). */

/** Most collections per account. */
export const MAX_COLLECTIONS = 200;
/** Most rows one JSON request (collection or source data) may carry. */
export const MAX_ROWS_PER_REQUEST = 1000;
/** Largest stored row, in characters of its JSON. */
export const MAX_ROW_CHARS = 128 * 1024;
/** Longest primary key value (characters). */
export const MAX_KEY_LENGTH = 512;
/** Largest schema, as JSON text. */
export const MAX_SCHEMA_CHARS = 64 * 1024;
/** Default and largest page of `GET .../data`. */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;

/** A collection name: starts with a letter; letters, digits, `_` and `-`; at most 64 characters. */
export const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** A source id: letters, digits, `_` and `-`; at most 64 characters. */
export const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Collection ids are decimal digits (so they never look like names). */
export const COLLECTION_ID = /^\d{1,20}$/;
/** The source a collection belongs to when none is named. */
export const DEFAULT_SOURCE = "api";
