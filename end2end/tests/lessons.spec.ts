import { expect, test } from "@playwright/test";
import { hydrated, seriousA11yViolations, uniqueTitle } from "./helpers";

test("closing waits for the lessons-learned review, filled in on a phone-sized page", async ({ page }) => {
  // Reported with its detection time, so the report can measure from it.
  await page.goto("/incidents/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(uniqueTitle("Laptop left on a train"));
  await page.getByLabel("Summary").fill("Encrypted laptop left on the 07:42.");
  await page.getByLabel("Reported by").fill("E2E reporter");
  await page.getByLabel("Detected (UTC)").fill(new Date(Date.now() - 3 * 3600 * 1000).toISOString().slice(0, 16));
  await page.getByRole("button", { name: "Report incident" }).click();
  await page.waitForURL(/\/incidents\/INC-\d{4}-\d{4,}$/);
  const reference = page.url().split("/").pop()!;
  // Unclassified, so no checklist gates the way to Lessons learned.
  for (const phase of ["Containment", "Eradication", "Recovery", "Lessons learned"]) {
    await page.getByTestId("move-forward").click();
    await expect(page.getByTestId("incident-phase")).toContainText(phase);
  }
  await expect(page.getByTestId("lessons-status")).toContainText("No review recorded yet");
  await page.getByTestId("move-forward").click();
  const gate = page.getByTestId("phase-gate");
  await expect(gate).toContainText("Lessons learned: record the review");

  // The form on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId("lessons-link").click();
  await page.waitForURL(`**/incidents/${reference}/lessons`);
  await hydrated(page);
  const form = page.getByRole("form", { name: "Lessons-learned review" });
  await form.getByLabel("What went well").fill("Reported within ten minutes of noticing.");
  await form.getByRole("button", { name: "Save the review" }).click();
  await expect(page.getByTestId("lessons-summary-error")).toContainText("summary is required");
  await form.getByLabel("Summary").fill("Encrypted laptop lost; wiped remotely the same morning.");
  await form.getByLabel("Review held on").fill(new Date().toISOString().slice(0, 10));
  await form.getByRole("button", { name: "Save the review" }).click();
  await expect(page.getByTestId("lessons-saved")).toBeVisible();

  const add = page.getByRole("form", { name: "Add an action item" });
  await add.getByLabel("Action").fill("Add travel guidance to the awareness course");
  await add.getByLabel("Owner").fill("Security awareness");
  await add.getByLabel("Due on").fill("2027-01-31");
  await add.getByRole("button", { name: "Add action item" }).click();
  await expect(page.getByTestId("action-item")).toContainText("Owner: Security awareness");
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, "no sideways scrolling on a phone").toBe(true);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Now the incident closes.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/incidents/${reference}`);
  await hydrated(page);
  await expect(page.getByTestId("lessons-status")).toContainText("Review held on");
  await page.getByTestId("move-forward").click();
  await expect(page.getByTestId("incident-phase")).toContainText("Closed");
  await expect(page.getByTestId("timeline")).toContainText("Lessons-learned review started");

  // The post-incident report gathers it for management.
  await page.getByTestId("report-link").click();
  await page.waitForURL(`**/incidents/${reference}/report`);
  await hydrated(page);
  const report = page.getByTestId("report");
  await expect(report.getByRole("heading", { level: 1 })).toContainText(`Post-incident report: ${reference}`);
  await expect(report.getByTestId("report-tlp")).toContainText("TLP:AMBER");
  await expect(report.getByTestId("metric").filter({ hasText: "Time to close" })).toContainText(/3h \d+m/);
  await expect(report.getByTestId("metric").filter({ hasText: "Time to acknowledge" })).toContainText("—");
  await expect(report.getByTestId("report-lessons")).toContainText("wiped remotely the same morning");
  await expect(report).toContainText("Add travel guidance to the awareness course");
  expect(await seriousA11yViolations(page)).toEqual([]);
});
