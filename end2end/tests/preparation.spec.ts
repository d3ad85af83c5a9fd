import { expect, test } from "@playwright/test";
import { hydrated, seriousA11yViolations } from "./helpers";

test("an overdue plan review and a stale readiness item are flagged on the board", async ({ page }) => {
  await page.goto("/preparation");
  await hydrated(page);
  await page.getByText("Publish a new version").click();
  const form = page.getByRole("form", { name: "Publish a plan version" });
  await form.getByLabel("Plan (Markdown)").fill("# Our plan\n\n1. **Triage** the report\n2. Call the commander\n\n<script>window.bad = 1</script>");
  await form.getByLabel("Approved by").fill("Chief Information Security Officer");
  await form.getByLabel("Approved on").fill("2025-01-10");
  await form.getByLabel("Next review").fill("2025-07-10");
  await form.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("plan-body").locator("strong")).toHaveText("Triage");
  await expect(page.getByTestId("plan-body").locator("script")).toHaveCount(0);
  await expect(page.getByTestId("plan-overdue")).toContainText("2025-07-10");

  const readiness = page.getByRole("form", { name: "Add a readiness item" });
  await readiness.getByLabel("Tool or resource").fill("Forensic workstation");
  await readiness.getByLabel("Owner").fill("Sam");
  await readiness.getByLabel("Verify every (days)").fill("90");
  await readiness.getByRole("button", { name: "Add readiness item" }).click();
  const item = page.getByTestId("readiness-item").filter({ hasText: "Forensic workstation" });
  await expect(item).toHaveAttribute("data-stale", "true");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.goto("/");
  await hydrated(page);
  const alerts = page.getByTestId("preparation-alerts");
  await expect(alerts).toContainText("due for review on 2025-07-10");
  await expect(alerts).toContainText("Forensic workstation");

  // Verifying the item clears its flag.
  await page.goto("/preparation");
  await hydrated(page);
  await page.getByRole("button", { name: "Mark Forensic workstation verified now" }).click();
  await expect(page.getByTestId("readiness-item").filter({ hasText: "Forensic workstation" })).toHaveAttribute("data-stale", "false");
});
