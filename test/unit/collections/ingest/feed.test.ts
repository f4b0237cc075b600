import { describe, expect, it } from "vitest";
import { feedItem } from "../../../../edge/collections/ingest/feed";
import { people } from "../fixtures";

describe("rows to profiles", () => {
  it("turns rows with identifiers into profile events whose ids follow the content", () => {
    const item = feedItem(people, "p1", { id: "p1", vid: "v", email: "e@x.io", note: "hi", age: null }, ["m"]);
    expect(item).toMatchObject({
      event: { _e: "people", vid: "v", email: "e@x.io", note: "hi", id: "p1" },
      matches: ["m"],
    });
    expect(item!.event).not.toHaveProperty("age");
    expect(feedItem(people, "p1", { id: "p1", vid: "v", email: "e@x.io", note: "hi", age: null }, [])!.event._eid).toBe(
      item!.event._eid,
    );
    expect(
      feedItem(people, "p1", { id: "p1", vid: "v", email: "e@x.io", note: "changed", age: null }, [])!.event._eid,
    ).not.toBe(item!.event._eid);
    expect(feedItem(people, "p2", { id: "p2", vid: null, email: null, note: "", age: 3 }, [])).toBeNull();
  });
});
