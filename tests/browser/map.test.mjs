// The map page draws a dot for Raqqa that links to its page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSeeds, launch, open, url } from "./site.mjs";

let site, browser;
before(async () => {
  site = buildSeeds();
  browser = await launch();
});
after(async () => browser && browser.close());

test("Raqqa's dot links to its page", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "map/index.html"));
  // The world map and its closer view both draw Raqqa; click the one on top of its neighbours.
  const dots = page.locator('svg.map a[href$="locations/raqqa.html"]');
  assert.ok((await dots.count()) >= 1);
  const dot = dots.last();
  const box = await dot.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, "the dot is drawn");
  await dot.click();
  await page.waitForURL(/locations\/raqqa\.html$/);
  assert.equal(await page.textContent("h1"), "Raqqa");
  assert.deepEqual(page.errors, []);
});
