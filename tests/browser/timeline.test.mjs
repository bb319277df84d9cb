// The timeline's entity filter on a timeline of several pages: it narrows the page to the
// passages naming the entity, and the pager then goes to the nearest pages that name it,
// carrying the filter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildCorpus, launch, open, url } from "./site.mjs";

let site, browser;
before(async () => {
  site = buildCorpus(300);
  browser = await launch();
});
after(async () => browser && browser.close());

/** Ids of the entities each visible passage names. */
async function visiblePassages(page) {
  return page.$$eval(".tl-event:not([hidden])", (els) => els.map((e) => e.getAttribute("data-entities").split(" ")));
}

test("the filter follows an entity from page to page", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "dates/timeline-2.html"));
  // An entity named on this page and on earlier and later ones.
  const option = await page.$eval("#timeline-entity", (s) => {
    const o = [...s.options].find((o) => o.dataset.before && o.dataset.after);
    return o && { id: o.value, before: o.dataset.before, after: o.dataset.after };
  });
  assert.ok(option, "some entity of page 2 recurs before and after it");
  const all = await page.locator(".tl-event").count();
  await page.selectOption("#timeline-entity", option.id);
  const shown = await visiblePassages(page);
  assert.ok(shown.length > 0 && shown.length < all, `${shown.length} of ${all} passages shown`);
  assert.ok(shown.every((ids) => ids.includes(option.id)));
  assert.match(await page.textContent("#timeline-status"), new RegExp(`^${shown.length} of ${all} dated passages on this page name `));
  const query = `?entity=${encodeURIComponent(option.id)}`;
  const file = (n) => (n === "1" ? "timeline.html" : `timeline-${n}.html`);
  assert.ok((await page.getAttribute("#timeline-prev", "href")).endsWith(file(option.before) + query));
  assert.ok((await page.getAttribute("#timeline-next", "href")).endsWith(file(option.after) + query));

  // Later: the page that names it next, already filtered.
  await page.click("#timeline-next");
  await page.waitForURL(new RegExp(`${file(option.after)}\\?entity=`));
  assert.equal(await page.inputValue("#timeline-entity"), option.id);
  const there = await visiblePassages(page);
  assert.ok(there.length > 0 && there.every((ids) => ids.includes(option.id)));

  // Clearing the filter gives the plain pager back.
  await page.selectOption("#timeline-entity", "");
  const next = await page.$("#timeline-next");
  if (next) assert.match(await next.getAttribute("href"), /timeline-\d+\.html$/);
  assert.equal((await visiblePassages(page)).length, await page.locator(".tl-event").count());
  assert.deepEqual(page.errors, []);
});

test("an entity page links to the first timeline page that names it", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "dates/timeline-3.html"));
  const id = await page.$eval("#timeline-entity", (s) => [...s.options].find((o) => o.value && o.dataset.before).value);
  const [kind, slug] = id.split("/");
  const folder = { location: "locations", organisation: "organisations", person: "people" }[kind];
  await page.goto(url(site.output, `${folder}/${slug}.html`));
  await page.click(`a[href*="?entity=${id}"]`);
  await page.waitForURL(/dates\/timeline(-\d+)?\.html\?entity=/);
  assert.equal(await page.inputValue("#timeline-entity"), id);
  assert.equal(await page.$("#timeline-entity option[value='" + id + "'][data-before]"), null, "no earlier page names it");
  const shown = await visiblePassages(page);
  assert.ok(shown.length > 0 && shown.every((ids) => ids.includes(id)));
  assert.deepEqual(page.errors, []);
});
