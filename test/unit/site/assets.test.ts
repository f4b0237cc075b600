import { describe, expect, it } from "vitest";
import { jsLiteral } from "../../../edge/site/tag-script";

describe("jsLiteral", () => {
  it("cannot close a script element or break a line", () => {
    const out = jsLiteral({ a: "</script><script>alert(1)</script>", b: "\u2028" });
    expect(out).not.toContain("</script>");
    expect(out).not.toContain("\u2028");
    expect(JSON.parse(out)).toEqual({ a: "</script><script>alert(1)</script>", b: "\u2028" });
  });
});
