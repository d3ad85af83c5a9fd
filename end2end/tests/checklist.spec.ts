import { test, expect } from "@playwright/test";
import { hydrated, reportIncident, uniqueTitle } from "./helpers";

test("a phishing incident gets its checklist and the phase gate lists open items", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("Gated phishing"), "fraud/phishing");
  const identification = page.getByTestId("checklist-identification");
  await expect(identification.getByTestId("checklist-item").first()).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("Checklist created from the Phishing playbook");
  const requiredTexts = await identification
    .locator('[data-testid="checklist-item"][data-required="true"] p')
    .first()
    .innerText();

  // Moving on with required items open is refused, with the list.
  await page.getByTestId("move-forward").click();
  const gate = page.getByTestId("phase-gate");
  await expect(gate).toContainText("required items are still open");
  await expect(gate).toContainText(requiredTexts.replace("Required", "").trim());
  await expect(page.getByTestId("incident-phase")).toHaveText("Identification");

  // Overriding with a reason moves it, and the reason is on the timeline.
  await gate.getByLabel("Override reason (goes on the timeline)").fill("Commander accepts the risk");
  await gate.getByTestId("override-gate").click();
  await expect(page.getByTestId("incident-phase")).toHaveText("Containment");
  await expect(page.getByTestId("timeline")).toContainText("overriding open required items");
  await expect(page.getByTestId("timeline")).toContainText("Reason: Commander accepts the risk");
  expect(reference).toMatch(/^INC-/);
});

test("ticking items updates the progress on the board card", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("Progress"), "malicious_code/ransomware");
  const items = page.getByTestId("checklist-identification").getByTestId("checklist-item");
  const total = await items.count();
  expect(total).toBeGreaterThan(1);

  await page.goto("/");
  await hydrated(page);
  const card = page.locator(`[data-testid="incident-card"][data-reference="${reference}"]`);
  await expect(card.getByTestId("card-progress")).toContainText(`Checklist 0/${total}`);

  await page.goto(`/incidents/${reference}`);
  await hydrated(page);
  const first = page.getByTestId("checklist-identification").getByTestId("checklist-item").first();
  await first.getByRole("textbox").fill("Done from the browser");
  await first.getByRole("button", { name: /^Mark done:/ }).click();
  await expect(page.getByTestId("checklist-identification").locator('[data-done="true"]')).toHaveCount(1);
  await expect(page.getByTestId("timeline")).toContainText("Note: Done from the browser");

  await page.goto("/");
  await hydrated(page);
  await expect(card.getByTestId("card-progress")).toContainText(`Checklist 1/${total}`);
});

test("an ad-hoc item needs text and appears in its phase", async ({ page }) => {
  await reportIncident(page, uniqueTitle("Ad hoc"));
  await page.getByText("Add an item or task").click();
  await page.getByTestId("add-checklist-item").click();
  await expect(page.getByTestId("item-text-error")).toHaveText("The item is required.");
  await page.getByTestId("checklist").getByLabel("Item", { exact: true }).fill("Ask the ISP for netflow");
  await page.getByLabel("Required to leave the phase").check();
  await page.getByTestId("add-checklist-item").click();
  const item = page.getByTestId("checklist-identification").getByTestId("checklist-item");
  await expect(item).toContainText("Ask the ISP for netflow");
  await expect(item).toHaveAttribute("data-required", "true");
  // The new required item now gates the move.
  await page.getByTestId("move-forward").click();
  await expect(page.getByTestId("phase-gate")).toContainText("Ask the ISP for netflow");
});

test("an item's owner, due time and note can be changed", async ({ page }) => {
  await reportIncident(page, uniqueTitle("Edited items"), "fraud/phishing");
  const first = page.getByTestId("checklist-identification").getByTestId("checklist-item").first();
  await first.locator("summary", { hasText: "Edit" }).click();
  const form = first.getByRole("form");
  await form.getByLabel("Owner").fill("Sam Okafor");
  await form.getByLabel("Due (UTC)").fill("2020-01-01T09:00");
  await form.getByLabel("Note").fill("Waiting for the mail logs");
  await form.getByRole("button", { name: "Save item" }).click();
  await expect(page.getByTestId("timeline")).toContainText("owner none → Sam Okafor");
  const updated = page.getByTestId("checklist-identification").getByTestId("checklist-item").first();
  await expect(updated).toContainText("Owner: Sam Okafor");
  await expect(updated).toContainText("Overdue");
});
