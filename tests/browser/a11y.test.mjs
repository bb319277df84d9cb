// axe-core in the same browser: no serious or critical violation on the main kinds of page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { buildSeeds, launch, open, url } from "./site.mjs";

const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let site, browser;
before(async () => {
  site = buildSeeds();
  browser = await launch();
});
after(async () => browser && browser.close());

const pages = ["index.html", "articles/index.html", "articles/001-ba1013068994706c.html", "articles/001-ba1013068994706c.data.html", "locations/raqqa.html", "people/index.html", "dates/index.html", "dates/2017.html", "dates/timeline.html", "map/index.html", "search/index.html"];

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
      // axe re-reads stylesheets with XMLHttpRequest, which file:// refuses: its own console noise.
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`).join("\n");
      assert.equal(bad.length, 0, `${path} in ${scheme}:\n${report}`);
    }
  });
}
