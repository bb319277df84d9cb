// Highlight switches: switching a type off hides its highlights and stays off on the next page;
// the reading view drops every highlight.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSeeds, launch, open, url, archive } from "./site.mjs";

let site, browser;
before(async () => {
  site = buildSeeds();
  browser = await launch();
});
after(async () => browser && browser.close());

const background = (page, selector) => page.$eval(selector, (el) => getComputedStyle(el).backgroundColor);

test("a switched-off type stays off on the next page", async () => {
  const { page } = await open(browser);
  const articles = archive(site.output).articles;
  await page.goto(url(site.output, articles[1].url));
  const before = await background(page, "#article-body .mention--person");
  assert.notEqual(before, "rgba(0, 0, 0, 0)", "people are highlighted at first");
  const switchOn = await background(page, ".toggle--person .toggle__box");
  await page.click("label[for=show-person]");
  assert.equal(await background(page, "#article-body .mention--person"), "rgba(0, 0, 0, 0)");
  // The switch's colour eases over 0.15 s: read it once its transition has finished.
  await page.waitForFunction(() => document.querySelector(".toggle--person .toggle__box").getAnimations().length === 0);
  const switchOff = await background(page, ".toggle--person .toggle__box");
  assert.notEqual(switchOff, switchOn, "the switch itself shows it is off");
  assert.notEqual(await background(page, "#article-body .mention--location"), "rgba(0, 0, 0, 0)", "places stay highlighted");

  await page.goto(url(site.output, articles[0].url));
  assert.equal(await page.isChecked("#show-person"), false, "remembered on another page");
  assert.equal(await background(page, "#article-body .mention--person"), "rgba(0, 0, 0, 0)");
  assert.equal(await page.isChecked("#show-location"), true);
  assert.deepEqual(page.errors, []);
});

test("the reading view shows no highlights and no side panels", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, archive(site.output).articles[1].url));
  await page.click("label[for=reading-view]");
  for (const kind of ["location", "organisation"]) {
    assert.equal(await background(page, `#article-body .mention--${kind}`), "rgba(0, 0, 0, 0)", kind);
  }
  assert.equal(await page.isVisible(".reader__aside"), false);
  assert.deepEqual(page.errors, []);
});

test("statements are marked with their speaker, switch off without script, and are listed in the panel", async () => {
  const { page } = await open(browser, { javaScriptEnabled: false });
  const a = archive(site.output).articles.find((x) => x.quotes.some((q) => q.entity === "person/sergei-lavrov"));
  assert.ok(a, "an article quotes Sergei Lavrov");
  await page.goto(url(site.output, a.url));
  const first = "#article-body .quote-mark[id]";
  assert.notEqual(await background(page, first), "rgba(0, 0, 0, 0)", "statements are shaded");
  const titles = await page.$$eval("#article-body .quote-mark", (els) => els.map((e) => e.title));
  assert.ok(titles.includes("Statement by Sergei Lavrov"), "the speaker is in the tooltip");
  // The panel: one item per statement, the speaker linked, the words linked to the passage.
  const items = await page.$$eval("#statements .statements-list > li", (els) => els.length);
  assert.equal(items, a.quotes.length);
  const lavrov = await page.$$eval("#statements .statements-list__who a", (els) => els.map((e) => [e.textContent, e.getAttribute("href")]));
  assert.ok(lavrov.some(([name, href]) => name === "Sergei Lavrov" && href === "../people/sergei-lavrov.html"));
  const anchors = await page.$$eval("#statements .statements-list__text", (els) => els.map((e) => e.getAttribute("href").slice(1)));
  for (const id of anchors.filter((x) => x.startsWith("q"))) {
    assert.equal(await page.$$eval(`[id="${id}"]`, (els) => els.length), 1, `#${id} is on the page once`);
  }
  // Without a speaker, the panel says so instead of naming one.
  if (a.quotes.some((q) => q.entity === null)) {
    assert.ok((await page.$$eval("#statements .badge--unresolved", (els) => els.length)) > 0);
  }
  // The switch works without JavaScript (CSS only).
  await page.click("label[for=show-quote]");
  assert.equal(await background(page, first), "rgba(0, 0, 0, 0)", "switched off");
  assert.deepEqual(page.errors, []);
});
