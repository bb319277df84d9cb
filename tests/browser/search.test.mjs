// Search from file://: "Raqqa" lists the articles that mention it, and opening a result lands
// on the highlighted mention. Facets narrow the article list by entities and year together.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSeeds, launch, open, url, archive } from "./site.mjs";

let site, browser, data;
before(async () => {
  site = buildSeeds();
  data = archive(site.output);
  browser = await launch();
});
after(async () => browser && browser.close());

const entity = (id) => data.entities.find((e) => e.id === id);
const urlOf = (articleId) => data.articles.find((a) => a.id === articleId).url;

test("searching Raqqa lists the articles that mention it and lands on the mention", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "index.html"));
  // "/" focuses the search box on any page; Enter submits it.
  await page.keyboard.press("/");
  await page.keyboard.type("Raqqa");
  await page.keyboard.press("Enter");
  await page.waitForURL(/search\/index\.html\?q=Raqqa/);
  const results = page.locator("#search-results li.result");
  const expected = entity("location/raqqa").articles.map(urlOf).sort();
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li.result").length === n, expected.length);
  const hrefs = await results.locator("h2 a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const plain = hrefs.map((h) => h.replace(/^\.\.\//, "").replace(/#.*$/, ""));
  assert.deepEqual([...plain].sort(), expected);
  // Scores are made here from the postings' weights and the documents' lengths: the article
  // about Raqqa (in its headline, eight times in the text) ranks first.
  assert.equal(plain[0], urlOf("001-ba1013068994706c"));
  assert.ok((await results.first().locator("mark").count()) > 0, "the snippet highlights the match");

  // Arrow down selects the first result, Enter opens it.
  await page.focus("#search-q");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(/articles\/.*\.html#q=/);
  const target = page.locator(".search-target");
  assert.equal(await target.count(), 1, "one landing target");
  assert.equal(await target.getAttribute("data-entity"), "location/raqqa", "lands on a Raqqa mention");
  assert.ok(await target.isVisible());
  const inView = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.ok(inView, "scrolled into view");
  assert.deepEqual(page.errors, []);
});

test("prefix search finds Raqqa from its first letters", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "search/index.html") + "?q=raq");
  await page.waitForSelector("#search-results li.result");
  assert.equal(await page.locator("#search-results li.result").count(), entity("location/raqqa").articles.length);
  assert.deepEqual(page.errors, []);
});

test("facets narrow the article list together, with counts", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "articles/index.html"));
  // Open on wide screens, folded on narrow ones.
  if (!(await page.evaluate(() => document.getElementById("facets").open))) await page.click("#facets summary");
  const visible = () => page.locator(".card[data-doc]:visible").count();
  assert.equal(await visible(), data.articles.length);

  const tick = async (type, name) => {
    // What a reader clicks: the label (the box itself is drawn by CSS).
    const label = page.locator(`fieldset[data-facet="${type}"] label`, { hasText: name }).first();
    await label.click();
    assert.ok(await label.locator("input").isChecked(), `${type} ${name} is ticked`);
  };
  const mentions = (a, id) => a.mentions.some((m) => m.entity === id);
  await tick("location", "Raqqa");
  assert.equal(await visible(), data.articles.filter((a) => mentions(a, "location/raqqa")).length);
  await tick("organisation", "Syrian Democratic Forces");
  const both = data.articles.filter((a) => mentions(a, "location/raqqa") && mentions(a, "organisation/syrian-democratic-forces"));
  assert.equal(await visible(), both.length);
  assert.ok(both.length >= 1);
  await tick("year", "2017");
  const in2017 = both.filter((a) => (a.published || "").startsWith("2017"));
  assert.equal(await visible(), in2017.length);
  // Counts shown next to other values follow the narrowed list.
  const moscow = page.locator('fieldset[data-facet="location"] label', { hasText: "Moscow" }).locator(".facet__count");
  if (await moscow.count()) {
    const n = in2017.filter((a) => mentions(a, "location/moscow")).length;
    assert.equal(await moscow.first().textContent(), String(n));
  }
  assert.deepEqual(page.errors, []);
});
