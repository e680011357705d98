// The workbench as a person sees it: open a wrangler.toml and a Worker from the Explorer, see the
// squiggle, the hover and the code lens, check the TOML colours come from our grammar, and save
// screenshots for the README.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { launchBrowser, prepareProfile, removeProfile, ROOT, startCodeServer } from "./codeServer.mjs";

const SHOTS = path.join(ROOT, "docs/screenshots");

async function openFromExplorer(page, segments) {
  for (const [index, name] of segments.entries()) {
    const row = page
      .locator(".explorer-folders-view .monaco-list-row", { hasText: new RegExp(`^\\s*${name.replace(".", "\\.")}\\s*$`) })
      .first();
    await row.waitFor({ timeout: 60_000 });
    if (index < segments.length - 1) {
      if ((await row.getAttribute("aria-expanded")) !== "true") await row.click();
    } else await row.dblclick();
  }
  const file = segments[segments.length - 1];
  await page.locator(`.tabs-container .tab[aria-label*="${file}"]`).first().waitFor({ timeout: 20_000 });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: 20_000 });
}

/** Computed colour of the editor token whose text is exactly `text`. */
async function tokenColour(page, text) {
  return page.evaluate((wanted) => {
    const spans = [...document.querySelectorAll(".monaco-editor .view-line span span")];
    const span = spans.find((s) => s.textContent.trim() === wanted);
    return span ? getComputedStyle(span).color : null;
  }, text);
}

export async function runUi() {
  mkdirSync(SHOTS, { recursive: true });
  const profile = prepareProfile(path.join(ROOT, "test/editors/workspace"));
  const server = await startCodeServer(profile);
  const browser = await launchBrowser();
  const results = [];
  const check = (name, ok, detail = "") => results.push(`${ok ? "PASS" : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });

    await openFromExplorer(page, ["api", "wrangler.toml"]);
    const squiggle = page.locator(".monaco-editor .squiggly-error").first();
    await squiggle.waitFor({ timeout: 60_000 });
    check("squiggle on the mode typo", (await squiggle.count()) > 0);

    const header = await tokenColour(page, "placement");
    const key = await tokenColour(page, "mode");
    const string = (await tokenColour(page, '"smrt"')) ?? (await tokenColour(page, "smrt"));
    check(
      "TOML colours: header, key and string differ",
      !!header && !!key && !!string && new Set([header, key, string]).size === 3,
      `${header} ${key} ${string}`,
    );
    await page.screenshot({ path: path.join(SHOTS, "wrangler-toml.png") });

    const box = await squiggle.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator(".monaco-hover", { hasText: "must be" }).first();
    await hover.waitFor({ timeout: 20_000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, " ");
    check("hover shows the diagnostic", hoverText.includes('"placement.mode" must be "off", "smart" or "targeted"'), hoverText);
    await page.screenshot({ path: path.join(SHOTS, "hover.png") });
    await page.mouse.move(5, 5);

    await openFromExplorer(page, ["api", "src", "index.ts"]);
    const lens = page.locator(".monaco-editor .codelens-decoration", { hasText: "Smart Placement" }).first();
    await lens.waitFor({ timeout: 60_000 });
    const lensText = await lens.innerText();
    check("code lens above the fetch handler", lensText.includes("Smart Placement:"), lensText);
    const warning = page.locator(".monaco-editor .squiggly-warning").first();
    await warning.waitFor({ timeout: 30_000 });
    check("warning squiggle on the blocking analytics call", (await warning.count()) > 0);
    await page.screenshot({ path: path.join(SHOTS, "worker-source.png") });

    // The estimate: the palette command opens the picture beside the Worker. The api folder is
    // folded first: the Explorer's first "src" row would be its own.
    const apiRow = page.locator(".explorer-folders-view .monaco-list-row", { hasText: /^\s*api\s*$/ }).first();
    if ((await apiRow.getAttribute("aria-expanded")) === "true") await apiRow.click();
    await openFromExplorer(page, ["orders", "src", "index.ts"]);
    await page.locator(".monaco-editor .codelens-decoration", { hasText: "Estimate: −234 ms" }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press("F1");
    await page.keyboard.type("Smart Placement: Show Estimate");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Show Estimate" }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press("Enter");
    const picture = page.frameLocator("iframe.webview").frameLocator("#active-frame");
    const heading = picture.locator("h1").first();
    await heading.waitFor({ timeout: 60_000 });
    const headingText = await heading.innerText();
    check("Show Estimate opens the picture", headingText.includes("Estimated request duration: orders"), headingText);
    check(
      "the picture has the map and the bars",
      (await picture.locator("path.land").count()) === 1 && (await picture.locator("rect.bar-placed").count()) === 5,
    );
    await page.screenshot({ path: path.join(SHOTS, "estimate.png") });
  } catch (error) {
    check("workbench run", false, String(error).split("\n")[0]);
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages[0]) await pages[0].screenshot({ path: path.join(SHOTS, "failure.png") }).catch(() => undefined);
  } finally {
    await browser.close();
    server.stop();
    removeProfile(profile);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runUi();
  for (const line of results) console.log(line);
  process.exit(results.some((l) => l.startsWith("FAIL")) ? 1 : 0);
}
