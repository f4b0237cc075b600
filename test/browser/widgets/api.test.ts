import { describe, expect, it } from "vitest";
import { useBrowser } from "../harness";
import { openFixture, shown } from "./helpers";

const open = useBrowser();

describe("window.pathfora API", () => {
  it("new pathfora.Message(config) and pathfora.Message(config) give the same widget object, with the merged configuration", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `
      var modal = new pathfora.Message({ id: 'welcome', layout: 'modal', headline: 'Hi', msg: 'Welcome back' });
      var slide = pathfora.Message({ id: 'slide', layout: 'slideout', msg: 'x', confirmAction: { name: 'go', callback: function () {} } });
      var form = new pathfora.Form({ id: 'form', layout: 'inline', positionSelector: 'main' });
      var test = new pathfora.ABTest({ id: 'ab', type: '100', groups: [[form]] });
      window.seen = {
        modal: [modal.id, modal.type, modal.layout, modal.position, modal.okMessage, modal.cancelShow, modal.config.headline, modal.valid],
        slide: [slide.id, slide.layout, slide.position, typeof slide.confirmAction.callback, slide.variant],
        form: [form.type, form.okMessage, form.positionSelector, form.displayConditions.showOnInit],
        test: [test.id, test.cookieId, test.groups[0][0] === form],
        sameShape: Object.keys(new pathfora.Message({ id: 'a' })).join() === Object.keys(pathfora.Message({ id: 'b' })).join()
      };
      modal.config.headline = 'Hello again';
      pathfora.initializeWidgets([modal, slide]);
      window.afterInit = [modal.headline, modal.className];`,
    });
    await shown(page, "welcome");
    expect(await page.evaluate(() => (window as any).seen)).toEqual({
      modal: ["welcome", "message", "modal", "", "Confirm", true, "Hi", true],
      slide: ["slide", "slideout", "bottom-left", "function", "1"],
      form: ["form", "Send", "main", true],
      test: ["ab", "PathforaTest_ab", true],
      sameShape: true,
    });
    expect(await page.locator("#welcome .pf-widget-headline").textContent()).toBe("Hello again");
    expect(await page.evaluate(() => (window as any).afterInit)).toEqual(["Hello again", "pathfora"]);
    await shown(page, "slide");
  });
});
