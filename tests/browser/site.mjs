// Shared by the browser tests: build an archive with the real `dossier` binary into a temporary
// folder and open its pages over file:// in Debian's headless Chromium, with no network.

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

export const project = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.DOSSIER_BIN || join(project, "target/release/dossier");

/** Copies the seed articles into a fresh folder and builds them (with `args` added to the
 * build, such as ["--export", "annotations"]); returns both folders. */
export function buildSeeds(args = []) {
  const dir = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  const input = join(dir, "in");
  cpSync(join(project, "seeds"), input, { recursive: true });
  const output = join(dir, "site");
  rebuild(input, output, args);
  return { dir, input, output };
}

/** A synthetic archive of `n` articles (`dossier bench-corpus`), built; returns both folders. */
export function buildCorpus(n) {
  const dir = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  const input = join(dir, "in");
  execFileSync(binary, ["bench-corpus", "--quiet", "--articles", String(n), "--out", input], { stdio: ["ignore", "inherit", "inherit"] });
  const output = join(dir, "site");
  rebuild(input, output);
  return { dir, input, output };
}

export function rebuild(input, output, args = []) {
  execFileSync(binary, ["build", "--quiet", "--input", input, "--output", output, ...args], { stdio: ["ignore", "inherit", "inherit"] });
}

export function archive(output) {
  return JSON.parse(readFileSync(join(output, "data/archive.json"), "utf8"));
}

export function url(output, path) {
  return pathToFileURL(join(output, path)).href;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page that fails the test on any script error, and refuses every network request. */
export async function open(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  await context.route(/^(https?|wss?):/, (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.errors = errors;
  return { context, page };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core in the page; returns a report of its serious and critical violations, "" if none. */
export async function axeReport(page) {
  // axe re-reads stylesheets with XMLHttpRequest, which file:// refuses: its own console noise.
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  return bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`).join("\n");
}
