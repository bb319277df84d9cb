// axe-core in the same browser: no serious or critical violation on the main kinds of page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { axeReport, buildSeeds, launch, open, url } from "./site.mjs";

let site, browser;
before(async () => {
  site = buildSeeds();
  browser = await launch();
});
after(async () => browser && browser.close());

const pages = ["index.html", "articles/index.html", "articles/001-ba1013068994706c.html", "locations/raqqa.html", "people/index.html", "dates/index.html", "dates/2017.html", "dates/timeline.html", "map/index.html", "search/index.html"];

for (const path of pages) {
  test(`axe: ${path}`, async (t) => {
    if (!existsSync(join(site.output, path))) {
      assert.fail(`${path} was not built`);
    }
    for (const scheme of ["light", "dark"]) {
      const { page } = await open(browser, { colorScheme: scheme });
      await page.goto(url(site.output, path) + (path.startsWith("search/") ? "?q=raqqa" : ""));
      await page.waitForLoadState("load");
      assert.deepEqual(page.errors, [], "the page itself runs without errors");
      assert.equal(await axeReport(page), "", `${path} in ${scheme}`);
    }
  });
}
