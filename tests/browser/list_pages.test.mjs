// The article list of a large archive comes in pages of 500. The facets narrow the cards of
// the page shown, and the pager then says how many matching articles each page holds, hides
// the pages with none, and carries the choice to the others.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axeReport, buildCorpus, launch, open, url } from "./site.mjs";

let site, browser;
before(async () => {
  site = buildCorpus(1100);
  browser = await launch();
});
after(async () => browser && browser.close());

/** Per page of the pager (top one): number, whether shown, the match count it shows, its link. */
async function pager(page) {
  return page.$$eval(".list-pages:not(.list-pages--bottom) a[data-page]", (links) =>
    links.map((a) => ({
      n: +a.dataset.page,
      shown: !a.parentElement.hidden,
      count: a.querySelector(".list-pages__count").hidden ? null : +a.querySelector(".list-pages__count").textContent,
      href: a.getAttribute("href"),
    })),
  );
}

test("ticking a facet counts its matches on every page and carries the choice", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "articles/page/2.html"));
  const before = await pager(page);
  assert.equal(before.length, 3, "1,100 articles make three pages");
  assert.ok(before.every((p) => p.shown && p.count === null), "no counts before a choice");

  // The most cited person: named on more than one page.
  await page.locator("#facets").evaluate((d) => (d.open = true));
  const box = page.locator('[data-facet="person"] .facet__list input').first();
  await box.check();
  const status = await page.textContent("#facets-shown");
  const m = status.match(/^Showing (\d+) of 1100 articles, (\d+) on this page\.$/);
  assert.ok(m, status);
  const [total, here] = [+m[1], +m[2]];
  assert.equal(await page.locator(".card[data-doc]:not([hidden])").count(), here, "the cards of this page that match are shown");

  const after = await pager(page);
  assert.equal(after.reduce((s, p) => s + p.count, 0), total, "the pages' counts add up to the matches");
  for (const p of after) {
    assert.equal(p.shown, p.count > 0 || p.n === 2, `page ${p.n}: shown only with matches (${p.count})`);
    assert.match(p.href, /\?person=[^&]+$/, `page ${p.n} carries the choice`);
  }
  const query = new URL(page.url()).search;
  assert.match(query, /^\?person=/);
  // Keyboard p/n follow link[rel], which must carry the choice too.
  assert.ok((await page.getAttribute('link[rel="next"]', "href")).endsWith(`page/3.html${query}`));

  // Another page with matches opens narrowed the same way.
  const other = after.find((p) => p.n !== 2 && p.count > 0);
  assert.ok(other, "the person is named on another page too");
  await page.click(`.list-pages:not(.list-pages--bottom) a[data-page="${other.n}"]`);
  await page.waitForURL((u) => u.search === query && !u.pathname.endsWith("page/2.html"));
  await page.waitForSelector("#facets:not([hidden])");
  assert.equal(await page.locator(".card[data-doc]:not([hidden])").count(), other.count);
  assert.match(await page.textContent("#facets-shown"), new RegExp(`^Showing ${total} of 1100 articles, ${other.count} on this page\\.$`));
});

// The pages only a large archive has (the seed site's are checked in a11y.test.mjs): a list page
// with its pager, narrowed by a facet, and an A–Z letter page.
for (const path of ["articles/page/2.html", "people/a-z/s.html"]) {
  test(`axe: ${path}`, async () => {
    for (const scheme of ["light", "dark"]) {
      const { page } = await open(browser, { colorScheme: scheme });
      await page.goto(url(site.output, path));
      await page.waitForLoadState("load");
      if (path.startsWith("articles/")) {
        await page.locator("#facets").evaluate((d) => (d.open = true));
        await page.locator('[data-facet="person"] .facet__list input').first().check();
        assert.ok(await page.locator(".list-pages__count:not([hidden])").count() > 0, "the pager shows counts");
      }
      assert.deepEqual(page.errors, [], "the page itself runs without errors");
      assert.equal(await axeReport(page), "", `${path} in ${scheme}`);
    }
  });
}
