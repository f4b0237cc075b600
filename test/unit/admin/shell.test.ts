import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../admin/api";
import { navigation } from "../../../admin/shell/page-table";
import { href, parseRoute } from "../../../admin/shell/route";
import { errorsFor, unclaimed } from "../../../admin/ui/errors";
import { filterRows } from "../../../admin/ui/list";
import { can } from "../../../admin/ui/role";

describe("console routes", () => {
  it("reads #page/sub/path, decoding each segment, with a default page", () => {
    expect(parseRoute("#experiences/abc/report", "x")).toEqual({ page: "experiences", path: ["abc", "report"] });
    expect(parseRoute("", "experiences")).toEqual({ page: "experiences", path: [] });
    expect(parseRoute("#people/email/a%2Fb%40c.d", "x")).toEqual({ page: "people", path: ["email", "a/b@c.d"] });
    expect(parseRoute("#profiles", "x").page).toBe("people");
    expect(parseRoute(href(["people", "email", "a/b@c.d"]), "x").path).toEqual(["email", "a/b@c.d"]);
  });

  it("lists the pages that exist in navigation order, hiding those the role may not see", () => {
    expect(navigation(["settings", "zebra", "audiences", "experiences"], "reader").map((p) => p.name)).toEqual([
      "experiences",
      "audiences",
      "settings",
      "zebra",
    ]);
  });
});

describe("console UI helpers", () => {
  it("puts each API error next to the field its path names", () => {
    const failure = new ApiFailure(422, "the experience is not valid", [
      { path: "config.headline", message: "Required" },
      { path: "variations.1.detail_override", message: "unknown key" },
      { message: "whole request" },
    ]);
    expect(errorsFor(failure, "config.headline").map((e) => e.message)).toEqual(["Required"]);
    expect(errorsFor(failure, "variations.1").map((e) => e.message)).toEqual(["unknown key"]);
    expect(errorsFor(failure, "config.head")).toEqual([]);
    expect(unclaimed(failure, ["config", "variations"]).map((e) => e.message)).toEqual(["whole request"]);
    expect(errorsFor(new Error("network"), "x")).toEqual([]);
  });

  it("filters rows on every word of the query, case-insensitively", () => {
    const rows = ["Hiking fans slideout", "Returning visitor modal", "hiking gear bar"];
    expect(filterRows(rows, (r) => r, "HIKING")).toEqual(["Hiking fans slideout", "hiking gear bar"]);
    expect(filterRows(rows, (r) => r, "hiking bar")).toEqual(["hiking gear bar"]);
    expect(filterRows(rows, (r) => r, "  ")).toEqual(rows);
  });

  it("gates actions by role as the edge does", () => {
    expect(can("reader", "read")).toBe(true);
    expect(can("reader", "write")).toBe(false);
    expect(can("data_manager", "write")).toBe(true);
    expect(can("data_manager", "admin")).toBe(false);
    expect(can("admin", "admin")).toBe(true);
  });
});
