import { describe, expect, it } from "vitest";
import { api, useBrowser } from "../harness";
import { collectErrors, signIn } from "./sign-in";

const open = useBrowser();

describe("console: audiences", () => {
  it("a marketer builds an audience from rules, sees its SegmentQL, saves it, and gets the rules back on reopening", async () => {
    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#audiences");
    await page.click("text=New audience");
    await page.fill("#aud-name", "Engaged readers");
    await page.fill("#aud-slug", "engaged_readers");
    await page.fill('[aria-label="Condition 1: field"]', "visitct");
    await page.selectOption('[aria-label="Condition 1: operator"]', { label: "at least" });
    await page.fill('[aria-label="Condition 1: value"]', "2");
    await page.click("text=Add condition");
    await page.fill('[aria-label="Condition 2: field"]', "last_visit");
    await page.selectOption('[aria-label="Condition 2: operator"]', { label: "in the last" });
    await page.fill('[aria-label="Condition 2: value"]', "30");
    await page.click("text=Add group");
    await page.fill('[aria-label="Condition 3.1: field"]', "plan");
    await page.selectOption('[aria-label="Condition 3.1: operator"]', { label: "is one of" });
    await page.fill('[aria-label="Condition 3.1: value"]', "pro, team");
    const expected = [
      "FILTER AND (",
      "    visitct >= 2,",
      '    last_visit > "now-30d",',
      "    OR (",
      '        plan IN ("pro", "team")',
      "    )",
      ")",
      "FROM user",
      "ALIAS engaged_readers",
    ].join("\n");
    expect(await page.inputValue("#segql")).toBe(expected);
    await page.waitForSelector("text=Valid SegmentQL.");
    await page.click("text=Create audience");
    await page.waitForSelector("text=Audience engaged_readers created.");
    await page.waitForSelector("h1 >> text=Audience Engaged readers");
    const saved = await (await api("/v2/segment/engaged_readers?cid=demo")).json();
    expect(saved.data.segment_ql).toBe(expected);

    // Reopened, the saved SegmentQL reads back into the same rows.
    await page.reload();
    await page.waitForSelector("h1 >> text=Audience Engaged readers");
    expect(await page.inputValue('[aria-label="Condition 1: field"]')).toBe("visitct");
    expect(await page.inputValue('[aria-label="Condition 2: value"]')).toBe("30");
    expect(await page.inputValue('[aria-label="Condition 3.1: value"]')).toBe("pro, team");
    expect(await page.inputValue("#segql")).toBe(expected);

    await page.click("text=← All audiences");
    await page.fill("#filter-audiences", "engaged");
    await page.waitForSelector("td >> text=engaged_readers");
    expect(errors).toEqual([]);
  });

  it("shows a SegmentQL error at its line and column as it is typed, and rows again once the text is fixed", async () => {
    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#audiences/new");
    await page.fill("#segql", 'FILTER AND (\n  plan = "pro",\n  visitct >= ,\n)\nALIAS broken_one');
    const problem = await page.waitForSelector(".sql-problem");
    expect(await problem.textContent()).toContain("Line 3, column 14");
    expect(await page.getAttribute("#segql", "aria-invalid")).toBe("true");
    expect(await page.textContent("[role=note]")).toContain("Text-only");

    await page.fill("#segql", 'FILTER AND (\n  plan = "pro",\n  visitct >= 2\n)\nALIAS fixed_one');
    await page.waitForSelector("text=Valid SegmentQL.");
    expect(await page.$(".sql-problem")).toBeNull();
    await page.waitForSelector('[aria-label="Condition 2: field"]');
    expect(await page.inputValue('[aria-label="Condition 1: field"]')).toBe("plan");
    expect(await page.inputValue('[aria-label="Condition 2: value"]')).toBe("2");
    expect(await page.inputValue("#aud-slug")).toBe("fixed_one");
    expect(errors).toEqual([]);
  });

  it("previews who matches a saved audience and its size today", async () => {
    const { page } = await open();
    await signIn(page, "#audiences/new");
    await page.fill("#aud-slug", "platinum_plan");
    await page.fill('[aria-label="Condition 1: field"]', "plan");
    await page.fill('[aria-label="Condition 1: value"]', "platinum");
    await page.click("text=Create audience");
    await page.waitForSelector("text=Audience platinum_plan created.");
    await api("/collect/json/crm?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "platinum-1", plan: "platinum" }),
    });
    await expect
      .poll(
        async () => {
          await page.click("section[aria-label='Matching profiles'] >> text=Refresh");
          return page.textContent("section[aria-label='Matching profiles']");
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain("platinum-1");
    // Reopened, today's size counts them.
    await page.reload();
    await page.click("text=Figures");
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(() => page.textContent("section[aria-label='Size over time'] table")).toContain(`${today}1`);
  });
});
