import { expect, Locator, Page } from "@playwright/test";
import * as fs from "fs";

/** Waits until the WASM has hydrated the page: clicks before that are lost. */
export async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

let counter = 0;
/** A title no other test uses, so tests sharing one server never collide. */
export function uniqueTitle(what: string): string {
  counter += 1;
  return `${what} ${Date.now().toString(36)}-${counter}`;
}

/**
 * Reports an incident through the form and returns its reference. Left
 * unclassified it has no checklist, so phase moves are not gated.
 */
export async function reportIncident(page: Page, title: string, classification = "other/unclassified"): Promise<string> {
  await page.goto("/incidents/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Summary").fill("Reported by the browser test.");
  await page.getByLabel("Classification").selectOption(classification);
  await page.getByLabel("Reported by").fill("E2E reporter");
  await page.getByRole("button", { name: "Report incident" }).click();
  await page.waitForURL(/\/incidents\/INC-\d{4}-\d{4,}$/);
  await expect(page.getByTestId("incident-title")).toHaveText(title);
  const reference = page.url().split("/").pop()!;
  return reference;
}

/** Injects axe-core and returns its serious and critical violations. */
export async function seriousA11yViolations(page: Page) {
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses
  // injected inline scripts.
  await page.evaluate(source);
  const results = await page.evaluate(async () => {
    // @ts-ignore axe is injected above
    return await window.axe.run(document, { resultTypes: ["violations"] });
  });
  return (results.violations as any[])
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(" ")).join(", ")})`);
}

/**
 * Drags `card` onto `column` with the HTML5 drag-and-drop events a browser
 * fires (dragstart, dragover, drop, dragend) sharing one DataTransfer.
 * Playwright's mouse-driven `dragTo` does not start HTML5 drags in this
 * headless Chromium, so the events are dispatched directly; the app's own
 * handlers do all the work.
 */
export async function dragCard(page: Page, card: Locator, column: Locator) {
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  await card.dispatchEvent("dragstart", { dataTransfer });
  await column.dispatchEvent("dragenter", { dataTransfer });
  await column.dispatchEvent("dragover", { dataTransfer });
  await column.dispatchEvent("drop", { dataTransfer });
  await card.dispatchEvent("dragend", { dataTransfer });
}
