// Review mode round trip: mark a mention as not an entity, export the entities.toml fragment
// the page makes, put it in the archive, build again: the mention is gone, the rest stays.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSeeds, launch, open, url, archive, rebuild } from "./site.mjs";

let site, browser;
before(async () => {
  site = buildSeeds();
  browser = await launch();
});
after(async () => browser && browser.close());

test("a mention marked wrong is gone after the next build", async () => {
  const articles = archive(site.output).articles;
  // An organisation mention to reject: the first one of the Lavrov article.
  const lavrov = articles.find((a) => a.title.startsWith("Lavrov comments"));
  const { page } = await open(browser);
  await page.goto(url(site.output, lavrov.url));
  const mention = page.locator("#article-body .mention--organisation").first();
  const text = (await mention.textContent()).trim();
  const before = lavrov.mentions.filter((m) => m.text === text).length;
  assert.ok(before > 0);

  await page.click("#review-toggle");
  await mention.click();
  assert.ok(page.url().endsWith(lavrov.url), "in review mode a click does not follow the link");
  await page.click('#review-menu button[data-review="ignore"]');
  assert.equal(await page.textContent("#review-count"), "1");

  // Kept across pages.
  await page.goto(url(site.output, articles[0].url));
  assert.equal(await page.textContent("#review-count"), "1");

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#review-export")]);
  assert.equal(download.suggestedFilename(), "entities.toml");
  const fragment = readFileSync(await download.path(), "utf8");
  assert.match(fragment, new RegExp(`ignore = \\["${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\]`));
  assert.deepEqual(page.errors, []);

  writeFileSync(join(site.input, "entities.toml"), fragment);
  rebuild(site.input, site.output);
  const after = archive(site.output).articles.find((a) => a.id === lavrov.id);
  assert.equal(after.mentions.filter((m) => m.text === text).length, 0, `"${text}" is no longer marked`);
  assert.ok(after.mentions.length > 0 && after.mentions.length === lavrov.mentions.length - before, "nothing else changed");
});

test("selected missed text becomes a typed entity in the fragment", async () => {
  const { page } = await open(browser);
  const lavrov = archive(site.output).articles.find((a) => a.title.startsWith("Lavrov comments"));
  await page.goto(url(site.output, lavrov.url));
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await page.click("#review-toggle");
  // Select "air task force" in the first paragraph.
  await page.evaluate(() => {
    const p = document.querySelector("#article-body p");
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const i = node.data.indexOf("air task force");
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + "air task force".length);
        getSelection().removeAllRanges();
        getSelection().addRange(r);
        p.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        return;
      }
    }
    throw new Error("text not found");
  });
  await page.click('#review-add button[data-type="organisation"]');
  const toml = await page.inputValue("#review-toml");
  assert.match(toml, /\[\[entity\]\]\nname = "air task force"\ntype = "organisation"/);
  assert.deepEqual(page.errors, []);
});
