import { describe, expect, it } from "vitest";
import { fromJsonBody, fromLegacyFields, validateEvents } from "../../../edge/collect/parse";

describe("legacy Lytics wire format", () => {
  it("decodes k_json, drops k_len and _uidn, keeps flattened keys", () => {
    const [event] = fromLegacyFields(
      new URLSearchParams("_uid=1&_uidn=mycookie&items_json=%5B1%2C2%5D&items_len=2&user.name=Al"),
    );
    expect(event).toEqual({ _uid: "1", items: [1, 2], "user.name": "Al" });
  });

  it("expands _js into events, applying the flat fields to each", () => {
    const events = fromLegacyFields(new URLSearchParams({ _uid: "u", _js: JSON.stringify([{ a: 1 }, { b: 2 }]) }));
    expect(events).toEqual([
      { _uid: "u", a: 1 },
      { _uid: "u", b: 2 },
    ]);
  });

  it("keeps repeated keys as an array and bad k_json as the raw string", () => {
    expect(fromLegacyFields(new URLSearchParams("t=a&t=b&x_json=%7Bbad"))).toEqual([{ t: ["a", "b"], x: "{bad" }]);
  });
});

describe("JSON bodies", () => {
  it("splits events, arrays and {events}", () => {
    expect(fromJsonBody({ a: 1 })).toEqual([{ a: 1 }]);
    expect(fromJsonBody([{ a: 1 }, { b: 2 }])).toHaveLength(2);
    expect(fromJsonBody({ events: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    // An event that merely has an `events` field is an event.
    expect(fromJsonBody({ events: [], _uid: "x" })).toEqual([{ events: [], _uid: "x" }]);
  });
});

describe("validateEvents", () => {
  it("adds the stream from the path unless the event names one", () => {
    const r = validateEvents([{ a: 1 }, { a: 2, _stream: "own" }], "web");
    expect(r).toEqual({
      ok: true,
      events: [
        { a: 1, _stream: "web" },
        { a: 2, _stream: "own" },
      ],
    });
  });

  it("rejects empty, oversized and malformed batches with paths", () => {
    expect(validateEvents([])).toEqual({ ok: false, errors: [{ message: "no events in the request" }] });
    expect(validateEvents(new Array(201).fill({}))).toMatchObject({ ok: false });
    const r = validateEvents([{ ["__proto__"]: 1 }, { deep: [[[[[1]]]]] }, { n: NaN }, { ok: true }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(["[0].__proto__", "[1].deep", "[2].n"]);
  });

  it("rejects reserved names parsed from JSON", () => {
    const r = validateEvents([JSON.parse('{"__proto__": {"admin": true}, "a": 1}')]);
    expect(r).toEqual({ ok: false, errors: [{ path: "__proto__", message: "reserved field name" }] });
  });
});
