import { expect, test } from "@playwright/test";
import { hydrated, reportIncident, uniqueTitle } from "./helpers";

test("an admin adds a user, and the audit log shows it with an intact chain", async ({ page }) => {
  const username = `e2e-new-${Date.now().toString(36)}`;
  await page.goto("/admin/users");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Username", { exact: true }).fill(username);
  await form.getByLabel("Name", { exact: true }).fill("New Colleague");
  await form.getByLabel("Role").selectOption("staff");
  await form.getByLabel("Initial password").fill("password123");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId("new-user-password-error")).toContainText("common");
  await form.getByLabel("Initial password").fill("a long and unusual passphrase");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.locator(`[data-testid="user-row"][data-username="${username}"]`)).toBeVisible();

  await page.goto(`/admin/audit?action=user.created&object=user:${username}`);
  await hydrated(page);
  await expect(page.getByTestId("chain-status")).toHaveAttribute("data-intact", "true");
  await expect(page.getByTestId("audit-entry")).toHaveCount(1);
  await expect(page.getByTestId("audit-entry")).toContainText("New Colleague created as Staff");
});

test("a restricted incident shows who may see it", async ({ page }) => {
  const reference = await reportIncident(page, uniqueTitle("Insider case"));
  await page.getByTestId("toggle-restricted").click();
  await expect(page.getByTestId("restricted-badge")).toBeVisible();
  await expect(page.getByTestId("restriction")).toContainText("Restricted");
  await page.getByLabel("Username", { exact: true }).fill("e2e-manager");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("member").filter({ hasText: "e2e-manager" })).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("added as a member");
  expect(reference).toMatch(/^INC-/);
});
