// The workbench as a person sees it: open a wrangler.toml and a Worker from the Explorer, see the
// squiggle, the hover and the code lens, check the TOML colours come from our grammar, and save
// screenshots of the editor for the README. A second run, next to a TOML extension (a stand-in
// that contributes TOML as Even Better TOML does), checks wrangler.toml is in its TOML language,
// coloured by its grammar, with our squiggle.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { launchBrowser, prepareProfile, removeProfile, ROOT, startCodeServer } from "./codeServer.mjs";

/**
 * The editor area down to its last line (or the hover, if lower): the README shows what happens in
 * the file, not the whole workbench.
 */
async function editorShot(page, name) {
  const part = await page.locator(".part.editor").boundingBox();
  const bottoms = await page.evaluate(() =>
    [...document.querySelectorAll(".part.editor .view-line, .monaco-hover")]
      .map((element) => element.getBoundingClientRect())
      .filter((box) => box.height > 0)
      .map((box) => box.bottom),
  );
  const bottom = Math.min(part.y + part.height, Math.max(part.y + 200, ...bottoms) + 24);
  await page.screenshot({ path: path.join(SHOTS, name), clip: { x: part.x, y: part.y, width: part.width, height: bottom - part.y } });
}

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
  await page.locator(`.tabs-container .tab[aria-label*="${file}"]`).first().waitFor({ timeout: 60_000 });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: 60_000 });
}

/**
 * Rests the mouse on `target` until a hover containing `text` shows. On a loaded machine the
 * first rest can pass before the editor has its hover provider's answer, and the hover never
 * opens for a mouse that has not moved since, so the mouse leaves and comes back between tries.
 */
async function hoverOver(page, target, text) {
  const hover = page.locator(".monaco-hover", { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    const box = await target.boundingBox();
    await page.mouse.move(5, 5);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    try {
      await hover.waitFor({ timeout: 20_000 });
      return hover;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
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

    const mode = await page.locator("#status\\.editor\\.mode").innerText();
    check("wrangler.toml is in the Wrangler TOML language", mode.trim() === "Wrangler TOML", mode);
    const header = await tokenColour(page, "placement");
    const key = await tokenColour(page, "mode");
    const string = (await tokenColour(page, '"smrt"')) ?? (await tokenColour(page, "smrt"));
    check(
      "TOML colours: header, key and string differ",
      !!header && !!key && !!string && new Set([header, key, string]).size === 3,
      `${header} ${key} ${string}`,
    );
    await editorShot(page, "wrangler-toml.png");

    const hover = await hoverOver(page, squiggle, "must be");
    const hoverText = (await hover.innerText()).replace(/\s+/g, " ");
    check(
      "hover shows the diagnostic",
      hoverText.includes('"placement.mode" must be "off", "smart" or "targeted", but got "smrt"'),
      hoverText,
    );
    await editorShot(page, "hover.png");
    await page.mouse.move(5, 5);

    await openFromExplorer(page, ["api", "src", "index.ts"]);
    const lens = page.locator(".monaco-editor .codelens-decoration", { hasText: "Smart Placement" }).first();
    await lens.waitFor({ timeout: 60_000 });
    const lensText = await lens.innerText();
    check("code lens above the fetch handler", lensText.includes("Smart Placement:"), lensText);
    const warning = page.locator(".monaco-editor .squiggly-warning").first();
    await warning.waitFor({ timeout: 30_000 });
    check("warning squiggle on the blocking analytics call", (await warning.count()) > 0);
    await editorShot(page, "worker-source.png");
    // The estimate: the palette command opens the picture beside the Worker. The api folder is
    // folded first: the Explorer's first "src" row would be its own.
    const apiRow = page.locator(".explorer-folders-view .monaco-list-row", { hasText: /^\s*api\s*$/ }).first();
    if ((await apiRow.getAttribute("aria-expanded")) === "true") await apiRow.click();
    await openFromExplorer(page, ["orders", "src", "index.ts"]);
    await page.locator(".monaco-editor .codelens-decoration", { hasText: "Estimate: −234 ms" }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press("F1");
    await page.keyboard.type("Smart Placement: Show Estimate");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Show Estimate" }).first().waitFor({ timeout: 60_000 });
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
    await server.stop();
    removeProfile(profile);
  }
  return results;
}

/** The same wrangler.toml next to a TOML extension: its language and grammar, our diagnostics. */
export async function runUiWithTomlExtension() {
  const profile = prepareProfile(path.join(ROOT, "test/editors/workspace"));
  const server = await startCodeServer(profile);
  const browser = await launchBrowser();
  const results = [];
  const check = (name, ok, detail = "") =>
    results.push(`${ok ? "PASS" : "FAIL"} ${name} (next to a TOML extension)${ok || !detail ? "" : `: ${detail}`}`);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const workbenchConsole = [];
    page.on("console", (message) => workbenchConsole.push(message.text()));
    const standIn = `vscode-remote://${server.authority}${path.join(ROOT, "test/editors/vscode/toml-extension")}`;
    const payload = encodeURIComponent(JSON.stringify([["extensionDevelopmentPath", standIn]]));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}&payload=${payload}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await openFromExplorer(page, ["api", "wrangler.toml"]);
    const squiggle = page.locator(".monaco-editor .squiggly-error").first();
    await squiggle.waitFor({ timeout: 60_000 });
    check("squiggle on the mode typo", (await squiggle.count()) > 0);
    const indicator = page.locator("#status\\.editor\\.mode");
    await page.waitForFunction(() => document.querySelector("#status\\.editor\\.mode")?.textContent?.trim() === "TOML", null, {
      timeout: 30_000,
    });
    check("wrangler.toml is in the TOML extension's language", (await indicator.innerText()).trim() === "TOML");
    // The stand-in's grammar scopes the header as a tag, the key as a variable and the string as a string.
    const header = await tokenColour(page, "placement");
    const key = await tokenColour(page, "mode");
    const string = await tokenColour(page, '"smrt"');
    check(
      "TOML colours from the TOML extension's grammar: header, key and string differ",
      !!header && !!key && !!string && new Set([header, key, string]).size === 3,
      `${header} ${key} ${string}`,
    );
    const overwritten = workbenchConsole.filter((line) => line.includes("Overwriting grammar scope name"));
    check("no grammar overwritten", overwritten.length === 0, overwritten[0]);
  } catch (error) {
    check("workbench run", false, String(error).split("\n")[0]);
  } finally {
    await browser.close();
    await server.stop();
    removeProfile(profile);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = [...(await runUi()), ...(await runUiWithTomlExtension())];
  for (const line of results) console.log(line);
  process.exit(results.some((l) => l.startsWith("FAIL")) ? 1 : 0);
}
