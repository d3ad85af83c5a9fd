import { expect, test } from "@playwright/test";
import { hydrated, reportIncident, seriousA11yViolations, uniqueTitle } from "./helpers";

/** `date` as the datetime-local value the forms take (UTC). */
function local(date: Date): string {
  return date.toISOString().slice(0, 16);
}

test("a GDPR clock started late is overdue on the page and the board until the authority is notified", async ({ page }) => {
  const title = uniqueTitle("Payroll export leaked");
  const reference = await reportIncident(page, title);
  const section = page.getByTestId("regulatory");
  await expect(section).toContainText("No regulatory clock is running");

  // Awareness was 80 hours ago: the 72 hours have run out.
  const start = page.getByRole("form", { name: "Start a regulatory clock" });
  await start.getByLabel("Regime").selectOption("gdpr");
  await start.getByLabel("Trigger time (UTC)").fill(local(new Date(Date.now() - 80 * 3600 * 1000)));
  await start.getByRole("button", { name: "Start the clock" }).click();
  const clock = section.locator('[data-testid="clock"][data-regime="gdpr"]');
  const authority = clock.locator('[data-testid="stage"][data-stage="authority"]');
  await expect(authority).toHaveAttribute("data-status", "overdue");
  await expect(authority.getByTestId("stage-status")).toContainText("Overdue by 8h");
  await expect(clock.locator('[data-testid="stage"][data-stage="data_subjects"]')).toHaveAttribute("data-status", "open");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.goto("/");
  await hydrated(page);
  const card = page.locator(`[data-testid="incident-card"][data-reference="${reference}"]`);
  await expect(card.getByTestId("card-regulatory")).toContainText("Regulator deadline passed");
  await page.goto("/status");
  await hydrated(page);
  const row = page.getByTestId("status-row").filter({ hasText: reference });
  await expect(row.getByTestId("status-regulatory-overdue")).toContainText("Passed 8h");

  // Record the notification: the message sits next to a missing field first.
  await page.goto(`/incidents/${reference}`);
  await hydrated(page);
  await clock.getByText("Record a submission or decision").click();
  const record = page.getByRole("form", { name: /Record a submission under GDPR/ });
  await record.getByLabel("Stage").selectOption("authority");
  await record.getByRole("button", { name: "Record" }).click();
  await expect(record.getByTestId("reg-gdpr-submitted_to-error")).toContainText("which authority");
  await record.getByLabel("To (authority or audience)").fill("Information Commissioner's Office");
  await record.getByLabel("Their reference (optional)").fill("IC-2026-0042");
  await record.getByLabel("What was submitted, or why it is not required").fill("Initial Art. 33 notification; more to follow.");
  await record.getByRole("button", { name: "Record" }).click();
  await expect(authority).toHaveAttribute("data-status", "late");
  await expect(clock.getByTestId("submission")).toContainText("IC-2026-0042");
  await expect(page.getByTestId("timeline")).toContainText("submitted to Information Commissioner's Office");

  // Art. 34 has no fixed period, so the board flag is gone.
  await page.goto("/");
  await hydrated(page);
  await expect(card).toBeVisible();
  await expect(card.getByTestId("card-regulatory")).toHaveCount(0);
});

test("an admin adds a holiday and their own regime; the page is axe-clean", async ({ page }) => {
  await page.goto("/preparation/regulatory");
  await hydrated(page);
  await expect(page.getByTestId("regime")).toHaveCount(5);
  const unique = Date.now().toString(36);
  const holidays = page.getByRole("form", { name: "Add a holiday" });
  // A date unlikely to be taken by another run against the same server.
  const day = `2031-0${1 + (Date.now() % 9)}-1${Date.now() % 10}`;
  await holidays.getByLabel("Date").fill(day);
  await holidays.getByLabel("Name", { exact: true }).fill(`Founders' day ${unique}`);
  await holidays.getByRole("button", { name: "Add holiday" }).click();
  await expect(page.getByTestId("holiday").filter({ hasText: `Founders' day ${unique}` })).toBeVisible();

  const form = page.getByRole("form", { name: "Add a regime" });
  await form.getByLabel("Key (lowercase, e.g. acme_contract)").fill(`contract_${unique}`);
  await form.getByLabel("Name", { exact: true }).fill(`Customer contract ${unique}`);
  await form.getByLabel("What starts the clock").fill("Confirmed incident touching customer data");
  const stages = form.getByLabel("Stages, one per line: name; deadline; content");
  await stages.fill("Tell the customer; next week; Scope");
  await form.getByRole("button", { name: "Add regime" }).click();
  await expect(page.getByTestId("regime-stages-error")).toContainText("Stage 1");
  await stages.fill("Tell the customer; 24h; Scope and contact\nWritten report; 10bd after 1; Root cause and fixes");
  await form.getByRole("button", { name: "Add regime" }).click();
  const added = page.locator(`[data-testid="regime"][data-key="contract_${unique}"]`);
  await expect(added).toContainText("10 business days after “Tell the customer” is submitted");
  expect(await seriousA11yViolations(page)).toEqual([]);
});
