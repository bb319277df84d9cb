// Review mode round trip: mark a mention as not an entity, export the entities.toml fragment
// the page makes, put it in the archive, build again: the mention is gone, the rest stays.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axeReport, buildSeeds, launch, open, url, archive, rebuild, project } from "./site.mjs";

// The shared site is built with the Web Annotations, whose statements the correction buttons
// are checked against.
const EXPORT = ["--export", "annotations"];
let site, browser;
before(async () => {
  site = buildSeeds(EXPORT);
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
  rebuild(site.input, site.output, EXPORT);
  const after = archive(site.output).articles.find((a) => a.id === lavrov.id);
  assert.equal(after.mentions.filter((m) => m.text === text).length, 0, `"${text}" is no longer marked`);
  assert.ok(after.mentions.length > 0 && after.mentions.length === lavrov.mentions.length - before, "nothing else changed");
});

// The mark names its entity only in its title: a correction still names the entity, with the
// mention's own words as an alias.
test("a mention of another type is corrected under its entity's name", async () => {
  const lavrov = archive(site.output).articles.find((a) => a.title.startsWith("Lavrov comments"));
  const { page } = await open(browser);
  await page.goto(url(site.output, lavrov.url));
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  // A mention of Sergei Lavrov in other words that the page marks (the headline is not marked).
  const candidates = lavrov.mentions.map((m, i) => [m, i]).filter(([m]) => m.entity === "person/sergei-lavrov" && m.text !== "Sergei Lavrov");
  let i = -1;
  for (const [, k] of candidates) {
    if ((await page.locator(`#article-body #m${k + 1}`).count()) > 0) {
      i = k;
      break;
    }
  }
  assert.ok(i >= 0, "a marked mention of Sergei Lavrov in other words");
  await page.click("#review-toggle");
  const mention = page.locator(`#m${i + 1}`);
  assert.equal(await mention.getAttribute("data-name"), null, "no copy of the name on the mark");
  await mention.click();
  await page.click('#review-menu button[data-review="type"][data-type="organisation"]');
  const text = lavrov.mentions[i].text;
  assert.ok((await page.inputValue("#review-toml")).includes(`name = "Sergei Lavrov"\ntype = "organisation"\naliases = ["${text}"]\n`), "named by the entity, the words as an alias");
  assert.deepEqual(page.errors, []);
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

/** The seed articles built with a dossier.toml of the given title into a folder of `dir`. */
function buildTitled(dir, name, title) {
  const root = join(dir, name);
  mkdirSync(root);
  cpSync(join(project, "seeds"), join(root, "in"), { recursive: true });
  writeFileSync(join(root, "dossier.toml"), `title = ${JSON.stringify(title)}\n`);
  const binary = process.env.DOSSIER_BIN || join(project, "target/release/dossier");
  const output = join(root, "site");
  execFileSync(binary, ["build", "--quiet", "--config", join(root, "dossier.toml"), "--input", join(root, "in"), "--output", output], { stdio: ["ignore", "inherit", "inherit"] });
  return output;
}

// Pages opened from file:// share one origin, so one localStorage: corrections are kept per
// archive, and the panel says which archive they belong to.
test("corrections made in one archive do not appear in another", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  const one = buildTitled(dir, "one", "Syria coverage");
  const two = buildTitled(dir, "two", "Iraq coverage");
  const path = archive(one).articles.find((a) => a.title.startsWith("Lavrov comments")).url;
  const { page } = await open(browser);
  await page.goto(url(one, path));
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await page.click("#review-toggle");
  await page.locator("#article-body .mention").first().click();
  await page.click('#review-menu button[data-review="ignore"]');
  assert.equal(await page.textContent("#review-count"), "1");

  await page.goto(url(two, path));
  assert.equal(await page.textContent("#review-count"), "0", "the other archive's correction is not listed");
  assert.equal(await page.inputValue("#review-toml"), "", "nor in its fragment");
  assert.equal(await page.isDisabled("#review-export"), true, "nor downloadable");
  if ((await page.getAttribute("#review-toggle", "aria-pressed")) !== "true") await page.click("#review-toggle");
  assert.match(await page.textContent("#review"), /Corrections for archive «Iraq coverage»/);

  await page.goto(url(one, path));
  assert.equal(await page.textContent("#review-count"), "1", "the first archive keeps its own");
  assert.match(await page.textContent("#review"), /Corrections for archive «Syria coverage»/);
  assert.deepEqual(page.errors, []);
});

test("a mention in the dateline can be opened for correction", async () => {
  const lavrov = archive(site.output).articles.find((a) => a.title.startsWith("Lavrov comments"));
  // "MOSCOW, May 31. /TASS/.": the agency is marked only in the dateline.
  const i = lavrov.mentions.findIndex((m) => m.text === "TASS");
  assert.ok(i >= 0);
  const { page } = await open(browser);
  await page.goto(url(site.output, lavrov.url));
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await page.click("#review-toggle");
  const mention = page.locator(`#m${i + 1}`);
  assert.equal((await mention.textContent()).trim(), "TASS");
  await mention.click();
  assert.ok(page.url().endsWith(lavrov.url), "in review mode a click does not follow the link");
  assert.equal(await page.isVisible("#review-menu"), true);
  assert.match(await page.textContent("#review-target"), /TASS/);
  await page.click('#review-menu button[data-review="ignore"]');
  assert.match(await page.inputValue("#review-toml"), /ignore = \["TASS"\]/);
  assert.deepEqual(page.errors, []);
});

// "Wrong place" on a place's page: choosing another place of the name gives an [[entity]]
// table pinning the name to its GeoNames id; the next build puts the place there.
test("a place marked wrong is pinned to the chosen place of that name", async () => {
  const own = buildSeeds();
  const { page } = await open(browser);
  // From an article: a location mention's menu leads to the place's page.
  const lavrov = archive(own.output).articles.find((a) => a.title.startsWith("Lavrov comments"));
  await page.goto(url(own.output, lavrov.url));
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await page.click("#review-toggle");
  await page.locator("#article-body .mention--location").first().click();
  assert.equal(await page.isVisible("#review-place-link"), true, "a location mention offers the place's page");
  await page.click('#review-menu button[data-review="cancel"]');

  await page.goto(url(own.output, "locations/moscow.html"));
  assert.equal(await page.isVisible("#review"), true, "review mode stays on across pages");
  const idaho = page.locator('#review-place button[data-review="place"]', { hasText: "Moscow, Idaho, United States" });
  assert.equal(await idaho.count(), 1);
  const id = await idaho.getAttribute("data-geonames");
  await idaho.click();
  assert.equal(await page.textContent("#review-count"), "1");
  const toml = await page.inputValue("#review-toml");
  assert.match(toml, new RegExp(`# locations/moscow\\.html\\n# Moscow, Idaho, United States\\n\\[\\[entity\\]\\]\\nname = "Moscow"\\ntype = "location"\\naliases = \\["MOSCOW"\\]\\ngeonames = ${id}\\n`));

  // Or a point: out of range is refused, a good one replaces the choice.
  await page.fill("#review-lat", "95");
  await page.fill("#review-lon", "37.6");
  await page.click('#review-place button[data-review="point"]');
  assert.equal(await page.isVisible("#review-place-error"), true);
  assert.equal(await page.textContent("#review-count"), "1");
  await page.fill("#review-lat", "55.75");
  await page.click('#review-place button[data-review="point"]');
  assert.equal(await page.isVisible("#review-place-error"), false);
  assert.equal(await page.textContent("#review-count"), "1", "one correction per place");
  assert.match(await page.inputValue("#review-toml"), /name = "Moscow"\ntype = "location"\naliases = \["MOSCOW"\]\nlat = 55\.75\nlon = 37\.6\n/);

  // Back to Idaho, downloaded, built: Moscow's page is in Idaho.
  await idaho.click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#review-export")]);
  const fragment = readFileSync(await download.path(), "utf8");
  assert.match(fragment, new RegExp(`geonames = ${id}`));
  assert.deepEqual(page.errors, []);
  assert.equal(await axeReport(page), "", "the open review panel of a place page");
  writeFileSync(join(own.input, "entities.toml"), fragment);
  rebuild(own.input, own.output);
  const moscow = readFileSync(join(own.output, "locations/moscow.html"), "utf8");
  assert.match(moscow, /<p class="entity__where">Moscow, Idaho, United States<\/p>/);
  assert.match(moscow, /Placed here: pinned in entities\.toml\./);
});

// "Wrong speaker?" on a statement: the reviewer names who said it among the people and
// organisations of the article; the [[speaker]] table it makes gives the statement to them.
test("a statement's speaker corrected in review mode is its speaker after the next build", async () => {
  const own = buildSeeds();
  const before = archive(own.output);
  const lavrov = before.articles.find((a) => a.title.startsWith("Lavrov comments"));
  const i = lavrov.quotes.findIndex((q) => q.entity === null);
  assert.ok(i >= 0, "the article has a statement with no known speaker");
  const person = before.entities.find((e) => e.type === "person" && /Lavrov/.test(e.name));
  const { page } = await open(browser);
  await page.goto(url(own.output, lavrov.url));
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  const fix = page.locator("#statements button[data-review-speaker]").nth(i);
  assert.equal(await fix.isVisible(), false, "only in review mode");
  await page.click("#review-toggle");
  await fix.click();
  assert.equal(await page.isVisible("#review-speaker"), true);

  // Somebody the article does not name cannot be the speaker.
  await page.fill("#review-speaker-name", "Olaf Nobody");
  await page.click('#review-speaker button[data-review="speaker"]');
  assert.equal(await page.isVisible("#review-speaker-error"), true);
  assert.equal(await page.textContent("#review-count"), "0");

  await page.fill("#review-speaker-name", person.name);
  await page.click('#review-speaker button[data-review="speaker"]');
  assert.equal(await page.textContent("#review-count"), "1");
  assert.equal(await page.isVisible("#review-speaker"), false);
  const toml = await page.inputValue("#review-toml");
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  assert.match(toml, new RegExp(`\\[\\[speaker\\]\\]\\narticle = "${esc(lavrov.id)}"\\n(speaker = ".*"\\n)?quote = ".+"\\nentity = "${esc(person.name)}"\\n`));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#review-export")]);
  writeFileSync(join(own.input, "entities.toml"), readFileSync(await download.path(), "utf8"));
  assert.deepEqual(page.errors, []);
  // (axe reads the style sheet, which from file:// logs an error of its own: checked last.)
  assert.equal(await axeReport(page), "", "the review panel with a speaker correction");
  const said = () => Number((readFileSync(join(own.output, person.url), "utf8").match(/id="statements-title"[^>]*>Statements <span class="count">(\d+)</) || [0, 0])[1]);
  const saidBefore = said();
  rebuild(own.input, own.output);
  const after = archive(own.output).articles.find((a) => a.id === lavrov.id);
  assert.equal(after.quotes[i].entity, person.id, "the statement is now the person's");
  assert.equal(said(), saidBefore + 1, "the person's page lists one statement more");
  after.quotes.forEach((q, k) => {
    if (k !== i) assert.equal(q.entity, lavrov.quotes[k].entity, `statement ${k} keeps its speaker`);
  });
});

/** The statements of the site's Web Annotations, by article id: `{ qN: exact words }`. */
function quotedWords(output) {
  const byArticle = {};
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== "object") return;
    if (v.motivation === "quoting" && typeof v.id === "string") {
      const [article, q] = v.id.replace(/^#/, "").split("/");
      const exact = v.target.selector.find((s) => s.type === "TextQuoteSelector").exact;
      (byArticle[article] ||= {})[q] = exact;
    }
    Object.values(v).forEach(walk);
  };
  const dir = join(output, "data/annotations");
  for (const f of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n")) if (line.trim()) walk(JSON.parse(line));
  }
  return byArticle;
}

// The "Wrong speaker?" buttons are made by review.js from the Statements panel (the page does
// not carry their data): each must name its statement as the build's [[speaker]] matching
// does, by its speaker's words and its first eight words, for every statement of the seeds.
test("each statement's correction button names the statement as the build does", async () => {
  const data = archive(site.output);
  const words = quotedWords(site.output);
  const { page } = await open(browser);
  let checked = 0;
  for (const a of data.articles.filter((x) => x.quotes.length)) {
    await page.goto(url(site.output, a.url));
    const buttons = await page.$$eval("#statements button[data-review-speaker]", (els) => els.map((b) => ({
      article: b.getAttribute("data-article"), speaker: b.getAttribute("data-speaker"), opening: b.getAttribute("data-opening"), who: b.getAttribute("data-who"),
    })));
    assert.equal(buttons.length, a.quotes.length, `${a.id}: a button per statement`);
    a.quotes.forEach((q, i) => {
      const b = buttons[i];
      const exact = words[a.id][`q${i + 1}`];
      const opening = exact.replace(/^[^\p{Alphabetic}\p{N}]+/u, "").split(/\s+/).filter(Boolean).slice(0, 8).join(" ");
      assert.equal(b.article, a.id);
      assert.equal(b.speaker, q.speaker || "", `${a.id} q${i + 1}: the speaker's words`);
      assert.equal(b.opening, opening, `${a.id} q${i + 1}: the first words`);
      const entity = q.entity && data.entities.find((e) => e.id === q.entity);
      assert.equal(b.who, entity ? entity.name : "", `${a.id} q${i + 1}: the speaker's entity`);
      checked++;
    });
  }
  assert.ok(checked > 20, `${checked} statements checked`);
  assert.deepEqual(page.errors, []);
});
