import { test, expect } from "@playwright/test";
import { dragCard, hydrated, reportIncident, uniqueTitle } from "./helpers";

test("a reported incident appears in Identification on the board", async ({ page }) => {
  const title = uniqueTitle("Phishing wave");
  const reference = await reportIncident(page, title, "fraud/phishing");
  await page.goto("/");
  await hydrated(page);
  const card = page.getByTestId("column-identification").locator(`[data-reference="${reference}"]`);
  await expect(card).toContainText(title);
  await expect(card).toContainText("Fraud / Phishing");
});

test("drag to Containment, on to Eradication, then back with a reason", async ({ page }) => {
  const title = uniqueTitle("Ransomware");
  const reference = await reportIncident(page, title);

  // Drag the card from Identification to Containment.
  await page.goto("/");
  await hydrated(page);
  const card = page.locator(`[data-testid="incident-card"][data-reference="${reference}"]`);
  await dragCard(page, card, page.getByTestId("column-containment"));
  await expect(page.getByTestId("column-containment").locator(`[data-reference="${reference}"]`)).toBeVisible();

  // The timeline shows the phase change.
  await page.goto(`/incidents/${reference}`);
  await hydrated(page);
  await expect(page.getByTestId("timeline")).toContainText("Phase moved from Identification to Containment.");
  await expect(page.getByTestId("time-contained")).toHaveText("—");

  // Move on to Eradication: the contained time is stamped.
  await page.getByTestId("move-forward").click();
  await expect(page.getByTestId("incident-phase")).toHaveText("Eradication");
  await expect(page.getByTestId("time-contained")).toHaveText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

  // Move back to Containment with a reason: the reason is on the timeline
  // and the contained time is cleared.
  await page.getByLabel("Move back to").selectOption("containment");
  await page.getByLabel("Reason").fill("Reinfection found on FS-02");
  await page.getByTestId("move-back").click();
  await expect(page.getByTestId("incident-phase")).toHaveText("Containment");
  await expect(page.getByTestId("timeline")).toContainText("Reason: Reinfection found on FS-02");
  await expect(page.getByTestId("time-contained")).toHaveText("—");
});

test("moving back without a reason is refused next to the field", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("No reason"));
  await page.getByTestId("move-forward").click();
  await expect(page.getByTestId("incident-phase")).toHaveText("Containment");
  await page.getByTestId("move-back").click();
  await expect(page.getByTestId("move-back-reason-error")).toHaveText("Moving back to an earlier phase needs a reason.");
  await expect(page.getByTestId("incident-phase")).toHaveText("Containment");
  expect(reference).toMatch(/^INC-/);
});

test("a card moves forward with the keyboard and back through the reason dialog", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("Keyboard"));
  await page.goto("/");
  await hydrated(page);
  const card = page.locator(`[data-testid="incident-card"][data-reference="${reference}"]`);
  await card.focus();
  await page.keyboard.press("Alt+ArrowRight");
  const moved = page.getByTestId("column-containment").locator(`[data-reference="${reference}"]`);
  await expect(moved).toBeVisible();
  await moved.focus();
  await page.keyboard.press("Alt+ArrowLeft");
  const dialog = page.getByTestId("back-move-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Move back" }).click();
  await expect(dialog).toContainText("needs a reason");
  await dialog.getByLabel("Reason (required)").fill("Triage was incomplete");
  await dialog.getByRole("button", { name: "Move back" }).click();
  await expect(page.getByTestId("column-identification").locator(`[data-reference="${reference}"]`)).toBeVisible();
});

test("dragging a card back opens the reason dialog; skipping a phase is refused", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("Drag back"));
  await page.goto("/");
  await hydrated(page);
  const card = () => page.locator(`[data-testid="incident-card"][data-reference="${reference}"]`);
  await dragCard(page, card(), page.getByTestId("column-eradication"));
  await expect(page.getByTestId("error-alert")).toContainText("one phase at a time");
  await expect(page.getByTestId("column-identification").locator(`[data-reference="${reference}"]`)).toBeVisible();

  await dragCard(page, card(), page.getByTestId("column-containment"));
  await expect(page.getByTestId("column-containment").locator(`[data-reference="${reference}"]`)).toBeVisible();
  await dragCard(page, card(), page.getByTestId("column-identification"));
  const dialog = page.getByTestId("back-move-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Reason (required)").fill("Not contained after all");
  await dialog.getByRole("button", { name: "Move back" }).click();
  await expect(page.getByTestId("column-identification").locator(`[data-reference="${reference}"]`)).toBeVisible();
});

test("a backdated note keeps its own event time", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("Backdated"));
  await page.getByLabel("Kind").selectOption("note");
  await page.getByLabel("When it happened (UTC)").fill("2026-01-15T03:12");
  await page.getByLabel("What happened or was done").fill("Attacker logged in from 203.0.113.7");
  await page.getByTestId("add-entry").click();
  const event = page.getByTestId("timeline-event").filter({ hasText: "Attacker logged in from 203.0.113.7" });
  await expect(event.getByTestId("event-time")).toHaveText("2026-01-15 03:12 UTC");
  await expect(event).toContainText("Recorded");
  // Oldest event time, so it is listed last.
  await expect(page.getByTestId("timeline-event").last()).toContainText("Attacker logged in");
  expect(reference).toMatch(/^INC-/);
});

test("a stale edit shows the changed-by-someone-else message", async ({ browser }) => {
  const first = await browser.newPage();
  const reference = await reportIncident(first, uniqueTitle("Concurrent"));
  const second = await browser.newPage();
  await second.goto(`/incidents/${reference}`);
  await hydrated(second);

  await first.getByLabel("Title").fill("Renamed by the first responder");
  await first.getByTestId("save-incident").click();
  await expect(first.getByTestId("incident-title")).toHaveText("Renamed by the first responder");

  await second.getByLabel("Title").fill("Renamed by the second responder");
  await second.getByTestId("save-incident").click();
  await expect(second.getByTestId("error-alert")).toContainText("changed by someone else");
  // The second responder's text is still on screen, not silently replaced.
  await expect(second.getByLabel("Title")).toHaveValue("Renamed by the second responder");

  await second.reload();
  await expect(second.getByTestId("incident-title")).toHaveText("Renamed by the first responder");
});

test("invalid input is reported next to each field", async ({ page }) => {
  await page.goto("/incidents/new");
  await hydrated(page);
  await page.getByLabel("Detected (UTC)").fill("2099-01-01T00:00");
  await page.getByRole("button", { name: "Report incident" }).click();
  await expect(page.getByTestId("title-error")).toHaveText("Title is required.");
  await expect(page.getByTestId("reporter-error")).toHaveText("Reporter is required.");
  await expect(page.getByTestId("detected_at-error")).toHaveText("This time is in the future.");
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
});

test("the priority follows impact and urgency live", async ({ page }) => {
  await page.goto("/incidents/new");
  await hydrated(page);
  await expect(page.getByTestId("live-priority")).toHaveText("P4");
  await page.getByLabel("Functional impact").selectOption("high");
  await page.getByLabel("Information impact").selectOption("privacy_breach");
  await page.getByLabel("Urgency").selectOption("high");
  await expect(page.getByTestId("live-priority")).toHaveText("P1");
});
