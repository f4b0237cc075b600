/**
 * A/B tests: each visitor gets a sticky random number
 * (`PathforaTest_<id>`) that picks one group by the test's split; only the
 * widgets of that group show.
 */
import type { ABTestConfig, ABTestFactory, ABTest as PreparedABTest } from "../types/widgets";
import { P } from "./env";
import { read, write } from "./store";
import { data } from "./track";

/**
 * Prepares a test; `type` is a split such as `"100"`, `"50/50"` or
 * `"80/20"`. Works with and without `new`.
 */
export const ABTest = function (config: ABTestConfig): PreparedABTest {
  if (!config) throw new Error("Config object is missing");
  const shares = ("" + config.type).split("/").map(Number);
  const sum = shares.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || shares.some((s) => !(s >= 0))) throw new Error("Unknown AB testing type: " + config.type);
  return { id: config.id, cookieId: P + "Test_" + config.id, type: shares.map((s) => s / sum), groups: config.groups };
} as ABTestFactory;

/** Buckets the visitor into one group of each test and hides the widgets of the others. */
export function initializeABTesting(tests: PreparedABTest[]): void {
  for (const t of tests) {
    let value = parseFloat(read(t.cookieId)!);
    if (!(value >= 0 && value < 1)) value = Math.random();
    write(t.cookieId, value);
    if (t.id in data.abTestingGroups) throw new Error("AB test with ID=" + t.id + " has been already defined.");
    let group = 0;
    for (let edge = t.type[0]!; value >= edge && group < t.type.length - 1; ) edge += t.type[++group]!;
    t.groups.forEach((widgets, i) =>
      widgets.forEach((w) => {
        if (w.abTestingGroup != null) throw new Error("Widget #" + w.id + " is defined in more than one AB test.");
        w.abTestingGroup = i;
        w.hiddenViaABTests = i != group;
      }),
    );
    data.abTestingGroups[t.id] = group;
  }
}
