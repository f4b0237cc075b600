/**
 * # SegmentQL
 *
 * Pure parser, printer, validator, compiler and evaluator for Lytics-style
 * SegmentQL audiences. No runtime imports outside this folder, no Workers
 * or Node APIs, no `eval`/`new Function`, no clock: callers pass `now`.
 *
 * ## Language
 *
 * ```sql
 * -- comments run to the end of the line
 * FILTER AND (
 *     visitct >= 3,                          -- = != > >= < <= (also == and <>)
 *     last_visit > "now-7d"                  -- relative time: now, now-30d, now+2h, now-1d+12h (s m h d w)
 *     country IN ("US", "CA")                -- commas between items are optional
 *     email NOT LIKE "*@example.com"         -- * matches any run of characters
 *     tags INTERSECTS ("vip", "beta")
 *     score BETWEEN 10 AND 20                -- inclusive
 *     OR ( EXISTS phone, NOT INCLUDE churned )
 *     prefs.newsletter = true                -- dots read into maps
 *     `odd field` CONTAINS 'x'               -- backticks quote names, ' or " quote strings
 * )
 * FROM user
 * ALIAS engaged_visitors
 * ```
 *
 * `FILTER` takes one expression (a condition, `AND (...)`, `OR (...)`,
 * `NOT ...`, or a parenthesised list, which means AND). FROM (default
 * `user`) and ALIAS are optional. Keywords are case-insensitive and reserved.
 *
 * ## JSON ast
 *
 * `{ "op": "and", "args": [ { "op": ">", "args": [ {"ident": "visitct"}, {"val": 3} ] } ] }`
 * — see `ast.ts`. `print(parse(x))` parses back to an equal ast, and
 * `parse(print({ table, ast: validateAst(json) })).ast` equals `validateAst(json)`.
 *
 * ## Semantics
 *
 * - **Fields.** `a.b` reads the top-level key `"a.b"` if the profile has it,
 *   otherwise map key `b` of field `a`. Only own properties are read.
 * - **Missing and null.** A field that is missing or null is *absent*. Every
 *   comparison on an absent field is false, `!=` included (`x != 5` needs
 *   `x`). NOT is plain boolean negation, so `NOT x = 5` is true when `x` is
 *   absent. `x = null` / `x IN (null, ...)` match an absent field and
 *   `x != null` a present one. `EXISTS x` is false for absent, `""`, `[]`
 *   and `{}`, true otherwise (also for `0` and `false`).
 * - **Equality** (`=`, `!=`, IN, INTERSECTS) is case-sensitive for strings.
 *   A number literal matches numbers and numeric strings (`"42"` = 42); a
 *   string literal matches an equal string, a number equal to it when it is
 *   numeric, a boolean when it is `true/false/t/f` (any case); a boolean
 *   literal matches booleans and those strings. Maps equal nothing.
 * - **Ordering** (`> >= < <=`, BETWEEN) depends on the literal: a number
 *   or numeric string compares numerically (fields: numbers and numeric
 *   strings); a relative time or an ISO-8601 string compares as time
 *   (fields: ISO-8601 strings, zone-less meaning UTC, or epoch-ms numbers);
 *   any other string compares with strings only, by UTF-16 code units;
 *   booleans and null never order. Relative times are resolved against
 *   `now` per evaluation, and only in ordering comparisons (in `=`, IN,
 *   LIKE, CONTAINS, `"now-7d"` is just a string).
 * - **Arrays.** Every operator except EXISTS, CONTAINS and `!=` matches if
 *   *any* element matches (`tags = "a"`, `scores > 5`; BETWEEN needs one
 *   element within both bounds). `x != v` is "x present and no element
 *   equals v". IN and INTERSECTS are the same test: some element (or the
 *   scalar) equals some listed value.
 * - **CONTAINS** is case-insensitive: substring of a string (or of a
 *   number's decimal text), element membership for an array (string
 *   elements compared ignoring case), key membership for a map.
 * - **LIKE** is case-insensitive and anchored: `*` is any run of
 *   characters, everything else is literal. Applies to strings, numbers
 *   (their decimal text) and array elements.
 * - **INCLUDE slug** asks the EvalContext (compile/evaluateNaive) or the
 *   results of the same AudienceSet evaluation; unknown slugs are false.
 * - **nextBoundary** is the first integer millisecond after `now` at which
 *   a relevant relative-time condition flips: `t > now+off` flips at t−off,
 *   `t >= now+off` at t−off+1 (so `last_visit > "now-7d"` with last_visit T
 *   leaves at exactly T+7d). Conditions that cannot matter because a
 *   time-independent sibling already decides their AND/OR are ignored.
 *
 * `now` is an integer epoch-millisecond instant.
 *
 * ## Evaluation engines
 *
 * `evaluateNaive` walks the AST and works everything out on each call; it is
 * the reference for the semantics. `compile`/`compileAll` build closures
 * once (no eval): literals pre-parsed (numbers, ISO dates, relative offsets,
 * lower-cased text, LIKE matchers, Sets for IN), every distinct field read
 * and coerced at most once per evaluation and shared by all audiences.
 * `compileAll` hash-conses the conditions of every audience into one graph
 * (identical leaves and subtrees are one node, evaluated at most once per
 * profile), skips an audience whose required field is absent, and
 * `AudienceSet.update` adds or replaces audiences compiling only those.
 * Differential tests keep the engines equal; `npm run bench -- segmentql`
 * measures them.
 *
 * Errors: everything throws SegmentQLError only (line/column are 1-based
 * for text, 0 for JSON and graph errors).
 */

export type {
  AstLiteral,
  BetweenNode,
  BoolNode,
  CompareNode,
  CompareOp,
  ExistsNode,
  IdentNode,
  IncludeNode,
  LeafNode,
  ListNode,
  MatchNode,
  NotNode,
  SegmentAst,
  SetNode,
  ValueNode,
} from "./syntax/ast";
export { includes } from "./syntax/ast";
export type { EvalContext, Profile, ProfileValue } from "./values/coerce";
export { SegmentQLError } from "./errors";
export { parse, type ParsedSegment } from "./syntax/parser";
export { validateAst } from "./syntax/validate";
export { print, printExpr } from "./syntax/printer";
export { compile, type CompiledSegment, type Predicate } from "./compile/compile";
export { evaluateNaive, evaluateAllNaive } from "./naive";
export {
  compileAll,
  detectCycle,
  type AudienceChanges,
  type AudienceSet,
  type AudienceSource,
} from "./audiences/audience-set";
export { parseRelativeTime, parseIsoTime } from "./values/time";
