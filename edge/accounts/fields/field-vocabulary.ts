/**
 * The field vocabulary: what an account may declare for a profile field.
 * The constant arrays are the source; the types are derived from them, so
 * the settings schema (accounts/settings.ts) and the profile code that
 * coerces and merges values (profiles/) cannot drift apart.
 */

/** Types a profile field may declare; values are coerced to them when read. */
export const FIELD_TYPES = ["string", "number", "boolean", "date", "array", "object", "any"] as const;

/** A declared field type. */
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * How a field combines the values a profile has seen (reference: Intempt
 * merge strategies): the first value, the most recent value, the value seen
 * most often, or all unique values.
 */
export const MERGE_STRATEGIES = ["first", "latest", "frequent", "unique"] as const;

/** A field's merge strategy. */
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];
