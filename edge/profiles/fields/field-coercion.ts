import type { FieldValue } from "../../../types/wire";

import type { FieldType } from "../../accounts/field-vocabulary";

/**
 * Coerces a stored value to its field's declared type when that can be
 * done without loss of meaning; otherwise returns the value unchanged.
 * number: numeric strings; boolean: "true"/"false"/"1"/"0"; date: epoch
 * seconds or milliseconds and parseable strings to ISO-8601; string:
 * numbers and booleans to text; array: a scalar becomes a one-item list.
 */
export function coerceField(value: FieldValue, type: FieldType): FieldValue {
  switch (type) {
    case "number":
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
      if (typeof value === "boolean") return value ? 1 : 0;
      return value;
    case "boolean":
      if (typeof value === "string") {
        const v = value.trim().toLowerCase();
        if (v === "true" || v === "1" || v === "t" || v === "yes") return true;
        if (v === "false" || v === "0" || v === "f" || v === "no") return false;
      }
      if (typeof value === "number") return value !== 0;
      return value;
    case "date": {
      if (typeof value === "number") return new Date(value < 1e11 ? value * 1000 : value).toISOString();
      if (typeof value === "string") {
        const n = Number(value);
        if (value.trim() !== "" && Number.isFinite(n)) return new Date(n < 1e11 ? n * 1000 : n).toISOString();
        const t = Date.parse(value);
        if (!Number.isNaN(t)) return new Date(t).toISOString();
      }
      return value;
    }
    case "string":
      return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
    case "array":
      return Array.isArray(value) || value === null ? value : [value];
    default:
      return value;
  }
}
