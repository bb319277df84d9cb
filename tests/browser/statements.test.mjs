// Statements from file://: the search narrowed to statements by one speaker ("what did Lavrov
// say about Raqqa"), the speaker's page linking there, and the timeline's statement filter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSeeds, launch, open, url, archive } from "./site.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";

let site, browser, data;
before(async () => {
  site = buildSeeds();
  data = archive(site.output);
  browser = await launch();
});
after(async () => browser && browser.close());

/** Lavrov's statements whose text holds every word (as whole words, the last as a prefix). */
function expectedStatements(speaker, words) {
  const out = [];
  for (const a of data.articles) {
    const text = Array.from(readFileSync(join(site.input, a.source), "utf8"));
    a.quotes.forEach((q, i) => {
      if (speaker && q.entity !== speaker) return;
      const toks = text.slice(q.start, q.end).join("").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u);
      const ok = words.every((w, k) => toks.some((t) => t === w || (k === words.length - 1 && t.startsWith(w))));
      if (ok) out.push(`${a.url}#q${i + 1}`);
    });
  }
  return out.sort();
}

test("what did Lavrov say about Raqqa: statements by one speaker holding the words", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "search/index.html") + "?q=raqqa&in=statements&speaker=person%2Fsergei-lavrov");
  const expected = expectedStatements("person/sergei-lavrov", ["raqqa"]);
  assert.ok(expected.length > 0, "the seeds have Lavrov on Raqqa");
  await page.waitForFunction(() => /statement/.test(document.getElementById("search-status").textContent));
  const hrefs = await page.$$eval("#search-results li.result--statement h2 a", (as) => as.map((a) => a.getAttribute("href").replace(/^\.\.\//, "")));
  assert.deepEqual([...hrefs].sort(), expected);
  assert.equal(await page.inputValue("#search-speaker"), "person/sergei-lavrov");
  assert.ok(await page.isChecked("#search-statements"));
  assert.ok((await page.locator("#search-results mark").count()) > 0, "the words are marked");

  // All of Lavrov's statements: no words, the speaker alone.
  await page.fill("#search-q", "");
  await page.press("#search-q", "Enter");
  const all = expectedStatements("person/sergei-lavrov", []);
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li.result--statement").length === n, all.length);

  // Opening one lands on the statement's mark.
  await page.click("#search-results li.result--statement h2 a");
  await page.waitForURL(/articles\/.*\.html#q\d+$/);
  const id = new URL(page.url()).hash.slice(1);
  assert.equal(await page.$eval(`[id="${id}"]`, (el) => el.className), "quote-mark");
  assert.deepEqual(page.errors, []);
});

test("statements only, anyone: every statement with the word; unticked, the articles again", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "search/index.html") + "?q=terrorists&in=statements");
  const expected = expectedStatements(null, ["terrorists"]);
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li.result--statement").length === n, expected.length);
  await page.uncheck("#search-statements");
  await page.waitForFunction(() => document.querySelectorAll("#search-results li.result:not(.result--statement)").length > 0);
  assert.equal(await page.locator("#search-results li.result--statement").count(), 0);
  assert.deepEqual(page.errors, []);
});

test("the statements index links each speaker's statements", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "statements/index.html"));
  await page.click('a[href="../people/sergei-lavrov.html#statements"]');
  await page.waitForURL(/people\/sergei-lavrov\.html#statements$/);
  const n = await page.locator("#statements li.statement").count();
  assert.equal(n, data.articles.flatMap((a) => a.quotes).filter((q) => q.entity === "person/sergei-lavrov").length);
  assert.deepEqual(page.errors, []);
});

test("the timeline can show only the dates said in statements", async () => {
  const { page } = await open(browser);
  await page.goto(url(site.output, "dates/timeline.html"));
  const all = await page.locator(".tl-event").count();
  const said = await page.locator(".tl-event[data-statement]").count();
  assert.ok(said > 0 && said < all, `${said} of ${all} passages are statements`);
  await page.check("#timeline-statements");
  assert.equal(await page.locator(".tl-event:not([hidden])").count(), said);
  assert.match(await page.textContent("#timeline-status"), new RegExp(`^${said} of ${all} `));
  assert.ok((await page.locator(".tl-event:not([hidden]) .tl-event__said").count()) === said);
  assert.deepEqual(page.errors, []);
});
