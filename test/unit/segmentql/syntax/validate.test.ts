import { describe, expect, it } from "vitest";
import { parse, print, SegmentQLError, validateAst } from "../../../../edge/segmentql/index";

function errorOf(json: unknown): SegmentQLError {
  try {
    validateAst(json);
  } catch (e) {
    expect(e).toBeInstanceOf(SegmentQLError);
    const err = e as SegmentQLError;
    expect([err.line, err.column]).toEqual([0, 0]);
    return err;
  }
  throw new Error("expected a validation error");
}

const good = {
  op: "and",
  args: [
    { op: ">", args: [{ ident: "visitct" }, { val: 5 }] },
    { op: "in", args: [{ ident: "country" }, { args: [{ val: "US" }, { val: null }] }] },
    { op: "not", args: [{ op: "include", args: [{ ident: "churned" }] }] },
  ],
};

describe("validateAst", () => {
  it("accepts a valid tree and returns an equal, independent copy", () => {
    const out = validateAst(good);
    expect(out).toEqual(good);
    expect(out).not.toBe(good);
    expect((out as { args: unknown[] }).args[0]).not.toBe(good.args[0]);
  });

  it("normalises operator case and aliases", () => {
    expect(
      validateAst({
        op: "AND",
        args: [
          { op: "==", args: [{ ident: "a" }, { val: 1 }] },
          { op: "<>", args: [{ ident: "b" }, { val: 2 }] },
        ],
      }),
    ).toEqual({
      op: "and",
      args: [
        { op: "=", args: [{ ident: "a" }, { val: 1 }] },
        { op: "!=", args: [{ ident: "b" }, { val: 2 }] },
      ],
    });
  });

  it("converts the legacy qlbridge encoding (string val + val_type)", () => {
    const legacy = {
      op: "and",
      val_type: 0,
      args: [
        {
          op: ">",
          val_type: 0,
          args: [
            { ident: "score", val_type: 0 },
            { val: "25", val_type: 11 },
          ],
        },
        { op: "<", args: [{ ident: "ratio" }, { val: "0.5", val_type: 10 }] },
        { op: "=", args: [{ ident: "paying" }, { val: "true", val_type: 12 }] },
        { op: "=", args: [{ ident: "vip" }, { val: "false", val_type: 0 }] },
        { op: "=", args: [{ ident: "gone" }, { val: "NULL", val_type: 0 }] },
        { op: "=", args: [{ ident: "code" }, { val: "007", val_type: 20 }] },
        {
          op: "in",
          args: [
            { ident: "c" },
            {
              args: [
                { val: "a", val_type: 20 },
                { val: "1", val_type: 11 },
              ],
              val_type: 0,
            },
          ],
        },
      ],
    };
    expect(validateAst(legacy)).toEqual({
      op: "and",
      args: [
        { op: ">", args: [{ ident: "score" }, { val: 25 }] },
        { op: "<", args: [{ ident: "ratio" }, { val: 0.5 }] },
        { op: "=", args: [{ ident: "paying" }, { val: true }] },
        { op: "=", args: [{ ident: "vip" }, { val: false }] },
        { op: "=", args: [{ ident: "gone" }, { val: null }] },
        { op: "=", args: [{ ident: "code" }, { val: "007" }] },
        { op: "in", args: [{ ident: "c" }, { args: [{ val: "a" }, { val: 1 }] }] },
      ],
    });
  });

  it("ast JSON -> text -> ast round-trips (normalised)", () => {
    const json = JSON.parse(JSON.stringify(good)) as unknown;
    const ast = validateAst(json);
    expect(parse(print({ table: "user", ast })).ast).toEqual(ast);
  });

  it.each([
    [null, "ast: expected an expression object"],
    [[1], "ast: expected an expression object"],
    [{ args: [] }, 'ast: expected "op" to be a string'],
    [{ op: "xor", args: [] }, 'ast.op: unknown operator "xor"'],
    [{ op: "and", args: [] }, 'ast.args: "and" needs at least one argument'],
    [{ op: "and" }, 'ast: expected "args" to be an array'],
    [{ op: "and", args: [{ op: "=", args: [{ ident: "a" }] }] }, 'ast.args[0].args: "=" takes 2 arguments, got 1'],
    [{ op: "and", args: [{ op: "=", args: [{ val: 1 }, { val: 1 }] }] }, "ast.args[0].args[0]: expected field"],
    [
      { op: "or", args: [{ op: "=", args: [{ ident: "" }, { val: 1 }] }] },
      "ast.args[0].args[0].ident: expected a non-empty string",
    ],
    [
      { op: "=", args: [{ ident: "a" }, { val: { x: 1 } }] },
      "ast.args[1].val: expected a string, number, boolean or null",
    ],
    [
      { op: "=", args: [{ ident: "a" }, { val: "x", val_type: 11 }] },
      "ast.args[1].val: expected a number for val_type 11",
    ],
    [{ op: "=", args: [{ ident: "a" }, { val: "x", val_type: 99 }] }, "ast.args[1].val_type: unsupported val_type 99"],
    [{ op: "=", args: [{ ident: "a" }, { val: 1 }], extra: true }, 'ast: unexpected property "extra"'],
    [{ op: "in", args: [{ ident: "a" }, { val: 1 }] }, "ast.args[1]: expected a list"],
    [{ op: "in", args: [{ ident: "a" }, { args: [{ ident: "b" }] }] }, "ast.args[1].args[0]: expected a value"],
    [
      {
        op: "not",
        args: [
          { op: "exists", args: [{ ident: "a" }] },
          { op: "exists", args: [{ ident: "b" }] },
        ],
      },
      'ast.args: "not" takes 1 argument, got 2',
    ],
    [{ op: "between", args: [{ ident: "a" }, { val: 1 }] }, 'ast.args: "between" takes 3 arguments, got 2'],
    [{ op: "include", args: [{ val: "slug" }] }, "ast.args[0]: expected segment slug"],
    [
      { op: "and", args: [{ op: "or", args: [{ op: "like", args: [{ ident: "a" }, { val: Infinity }] }] }] },
      "ast.args[0].args[0].args[1].val: expected a finite number",
    ],
  ])("rejects %j with a path: %s", (json, message) => {
    expect(errorOf(json).message).toContain(message);
  });

  it("rejects prototype tricks and deep or cyclic input without crashing", () => {
    expect(errorOf(JSON.parse('{"__proto__": {"op": "exists"}, "args": []}')).message).toContain('expected "op"');
    expect(errorOf({ op: "constructor", args: [] }).message).toContain("unknown operator");
    let deep: unknown = { op: "exists", args: [{ ident: "a" }] };
    for (let k = 0; k < 10_000; k++) deep = { op: "not", args: [deep] };
    expect(errorOf(deep).message).toContain("nested deeper");
    const cyclic: { op: string; args: unknown[] } = { op: "and", args: [] };
    cyclic.args.push(cyclic);
    expect(errorOf(cyclic).message).toContain("nested deeper");
  });
});
