// An entity named in more articles than a page lists (`entity_page_size`, set small here) has
// pages: the first at the entity's address, then FOLDER/SLUG/page/N.html. Opened from file://,
// the pager's next and previous links walk through them, and between them they list each of
// the entity's articles once; the pages pass axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archive, axeReport, launch, open, project, url } from "./site.mjs";

const PAGE_SIZE = 4;
let site, browser, entity;

/** The seeds and 13 dispatches from Geneva naming Sergei Lavrov, one a day. */
function writeArchive(input) {
  cpSync(join(project, "seeds"), input, { recursive: true });
  for (let k = 1; k <= 13; k++) {
    const day = String(k).padStart(2, "0");
    writeFileSync(
      join(input, `geneva-${day}.txt`),
      `Geneva talks, day ${k}\n\nGENEVA, March ${k} (Reuters) - Russian Foreign Minister Sergei Lavrov said on day ${k} of the talks that the ceasefire in Aleppo was holding. "We will discuss the next steps with our partners," Lavrov told reporters.\n\nThe UN envoy Staffan de Mistura met delegations from Damascus and the opposition in Geneva.\n`,
    );
    writeFileSync(join(input, `geneva-${day}.toml`), `published = "2016-03-${day}"\n`);
  }
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  const binary = process.env.DOSSIER_BIN || join(project, "target/release/dossier");
  const input = join(dir, "in");
  writeArchive(input);
  const config = join(dir, "dossier.toml");
  writeFileSync(config, `title = "Paged"\nentity_page_size = ${PAGE_SIZE}\n`);
  const output = join(dir, "site");
  execFileSync(binary, ["build", "--quiet", "--config", config, "--input", input, "--output", output], { stdio: ["ignore", "inherit", "inherit"] });
  site = { dir, input, output };
  entity = archive(output).entities.find((e) => e.id === "person/sergei-lavrov");
  assert.ok(entity, "Sergei Lavrov has a page");
  assert.ok(entity.articles.length > 2 * PAGE_SIZE, `${entity.name} is in ${entity.articles.length} articles: at least three pages`);
  browser = await launch();
});
after(async () => browser && browser.close());

/** What a page of the entity shows: its number, its articles' addresses and the total. */
async function shown(page) {
  return page.evaluate(() => ({
    current: +document.querySelector('.list-pages a[aria-current="page"]').dataset.page,
    articles: [...document.querySelectorAll(".occ__title a")].map((a) => a.href),
    heading: document.querySelector("#occ-title").textContent,
  }));
}

test("next and previous walk the pages of an entity, which list each of its articles once", async () => {
  const { page } = await open(browser);
  const pages = Math.ceil(entity.articles.length / PAGE_SIZE);
  await page.goto(url(site.output, entity.url));
  const seen = [];
  for (let n = 1; ; n++) {
    const s = await shown(page);
    assert.equal(s.current, n, `page ${n} marks itself in the pager`);
    assert.equal(s.heading, `In ${entity.articles.length} articles`, "the total on every page");
    assert.equal(s.articles.length, n < pages ? PAGE_SIZE : entity.articles.length - PAGE_SIZE * (pages - 1));
    assert.equal((await page.locator("figure.chart").count()) > 0, n === 1, "the charts on the first page only");
    assert.equal(await page.locator("#statements").count(), n === 1 ? 1 : 0, "the statements on the first page only");
    seen.push(...s.articles);
    const next = page.locator('.pager a[rel="next"]');
    if (n === pages) {
      assert.equal(await next.count(), 0, "no next page after the last");
      break;
    }
    await next.click();
    await page.waitForURL(url(site.output, entity.url.replace(/\.html$/, `/page/${n + 1}.html`)));
  }
  const expected = entity.articles.map((id) => url(site.output, `articles/${id}.html`));
  assert.equal(seen.length, expected.length, "as many listed as the entity has articles");
  assert.deepEqual([...new Set(seen)].sort(), [...expected].sort(), "each article once");

  // Back to the first page by the previous links, and by keyboard (p follows link[rel=prev]).
  // Each step waits for its page to have loaded, so the next click or key reaches the new
  // page and not the one it leaves.
  const pageUrl = (n) => url(site.output, n === 1 ? entity.url : entity.url.replace(/\.html$/, `/page/${n}.html`));
  for (let n = pages; n > 2; n--) {
    await page.click('.pager a[rel="prev"]');
    await page.waitForURL(pageUrl(n - 1));
    await page.waitForLoadState("load");
    assert.equal((await shown(page)).current, n - 1);
  }
  await page.keyboard.press("p");
  await page.waitForURL(pageUrl(1));
  await page.waitForLoadState("load");
  assert.equal((await shown(page)).current, 1);
  // A numbered link goes straight to its page.
  await page.click(`.list-pages:not(.list-pages--bottom) a[data-page="${pages}"]`);
  await page.waitForURL(pageUrl(pages));
  assert.equal((await shown(page)).current, pages);
  assert.deepEqual(page.errors, [], "the pages run without errors");
});

test("axe: the first and a later page of an entity", async () => {
  for (const path of [entity.url, entity.url.replace(/\.html$/, "/page/2.html")]) {
    for (const scheme of ["light", "dark"]) {
      const { page } = await open(browser, { colorScheme: scheme });
      await page.goto(url(site.output, path));
      await page.waitForLoadState("load");
      assert.deepEqual(page.errors, [], "the page itself runs without errors");
      assert.equal(await axeReport(page), "", `${path} in ${scheme}`);
    }
  }
});
