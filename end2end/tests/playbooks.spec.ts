import { expect, test } from "@playwright/test";
import { hydrated, reportIncident, seriousA11yViolations, uniqueTitle } from "./helpers";

test("an admin's playbook edit reaches the next incident of that kind", async ({ page }) => {
  await page.goto("/preparation");
  await hydrated(page);
  await page.getByTestId("playbooks-link").click();
  await page.waitForURL(/\/preparation\/playbooks$/);
  const row = page.getByTestId("playbook-row").filter({ hasText: "Phishing" });
  await expect(row).toContainText("Fraud: Phishing");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await row.getByRole("link", { name: "Phishing" }).click();
  await page.waitForURL(/\/preparation\/playbooks\/phishing$/);
  await hydrated(page);
  const add = page.getByRole("form", { name: "Add an item" });
  // An empty item is refused next to the field.
  await add.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByTestId("new-item-text-error")).toContainText("item");

  const text = uniqueTitle("Ask the mail provider for the delivery log");
  await add.getByLabel("Item", { exact: true }).fill(text);
  await add.getByLabel("Phase", { exact: true }).selectOption({ label: "Containment" });
  await add.getByLabel("Owner", { exact: true }).selectOption({ label: "Communications lead" });
  await add.getByLabel("Required to leave the phase").uncheck();
  await add.getByRole("button", { name: "Add item" }).click();
  const item = page.getByTestId("phase-containment").getByRole("form", { name: `Item: ${text}` });
  await expect(item).toBeVisible();
  await expect(item.getByLabel("Owner", { exact: true })).toHaveValue("communications_lead");
  await expect(item.getByLabel("Required to leave the phase")).not.toBeChecked();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A phishing incident reported now gets the item on its checklist.
  const reference = await reportIncident(page, uniqueTitle("Invoice lure"), "fraud/phishing");
  await expect(page.getByTestId("checklist-containment")).toContainText(text);

  // Removing it leaves that incident's checklist alone.
  await page.goto("/preparation/playbooks/phishing");
  await hydrated(page);
  await page.getByRole("form", { name: `Item: ${text}` }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("form", { name: `Item: ${text}` })).toHaveCount(0);
  await page.goto(`/incidents/${reference}`);
  await hydrated(page);
  await expect(page.getByTestId("checklist-containment")).toContainText(text);
});

test("roles on an incident are assigned from the roster", async ({ page }) => {
  const name = uniqueTitle("Priya Natarajan");
  await page.goto("/preparation");
  await hydrated(page);
  const roster = page.getByRole("form", { name: "Add to the roster" });
  await roster.getByLabel("Name").fill(name);
  await roster.getByLabel("Role").selectOption({ label: "Technical lead" });
  await roster.getByLabel("Contact").fill("+44 20 7946 0123");
  await roster.getByRole("button", { name: "Add to the roster" }).click();
  await expect(page.getByTestId("roster-entry").filter({ hasText: name })).toBeVisible();

  await reportIncident(page, uniqueTitle("Web shell on the intranet"));
  const form = page.getByRole("form", { name: "Assign Technical lead" });
  await form.getByLabel("Technical lead from the roster").selectOption({ label: name });
  await form.getByRole("button", { name: "Assign" }).click();
  const row = page.getByTestId("role-technical_lead");
  await expect(row.getByTestId("role-holder")).toHaveText(name);
  await expect(row).toContainText("+44 20 7946 0123");
  await expect(page.getByTestId("timeline")).toContainText(`Technical lead assigned: ${name}.`);
  expect(await seriousA11yViolations(page)).toEqual([]);
});
