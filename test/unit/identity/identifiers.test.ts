import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../../edge/accounts/settings/settings";
import { identifiersOf, normalizeIdentifier } from "../../../edge/identity/identifiers";

const account = { ...defaultSettings("t"), cid: "t", created: "", updated: "" };

describe("identifiers", () => {
  it("normalizes emails and refuses placeholders and junk", () => {
    expect(normalizeIdentifier("email", " Ada@X.IO ", account)).toBe("ada@x.io");
    expect(normalizeIdentifier("user_id", 42, account)).toBe("42");
    for (const bad of ["anonymous", "NULL", "-1", "0000", "", "x".repeat(257), {}, true])
      expect(normalizeIdentifier("user_id", bad, account)).toBeNull();
  });

  it("browser events: only the cookie id is strong (_uido is a claim to check); server events: every identifier", () => {
    const event = { _uid: "u", _uido: "old", email: "e@x.io", user_id: "7" };
    expect(identifiersOf(event, account, false)).toEqual({
      strong: [{ field: "_uid", value: "u" }],
      previous: { field: "_uid", value: "old" },
      weak: [
        { field: "email", value: "e@x.io" },
        { field: "user_id", value: "7" },
      ],
    });
    expect(identifiersOf(event, account, true).weak).toEqual([]);
  });
});
