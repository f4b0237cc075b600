/** `pathfora.rules`: factories of targeting rules over profile fields. */
import type { FieldValue } from "../types/wire";
import type { RuleHelpers, TargetRule, UserFields } from "../types/widgets";

const has = (v: unknown, x: unknown): boolean => (Array.isArray(v) || typeof v == "string") && v.includes(x as string);
const num = (u: UserFields, k: string): number => parseInt(String(u[k]));
const rule =
  (test: (u: UserFields, key: string, value: FieldValue) => boolean) =>
  (key: string, value: FieldValue): TargetRule =>
  (u) =>
    test(u, key, value);

/** Rule helpers, as in Pathfora. */
export const rules: RuleHelpers = {
  includes: rule((u, k, v) => has(u[k], v)),
  excludes: rule((u, k, v) => !has(u[k], v)),
  eq: rule((u, k, v) => u[k] === v),
  notEq: rule((u, k, v) => u[k] !== v),
  gt: rule((u, k, v) => num(u, k) > (v as number)),
  gte: rule((u, k, v) => num(u, k) >= (v as number)),
  lt: rule((u, k, v) => num(u, k) < (v as number)),
  lte: rule((u, k, v) => num(u, k) <= (v as number)),
  inSegment: (s) => (u) => has(u.segments, s),
  inFlowStep: (id, version, step) => (u) => {
    const flows = u._flows as Record<string, { step?: FieldValue }> | undefined;
    return flows?.[id + "-" + version]?.step === step;
  },
};
