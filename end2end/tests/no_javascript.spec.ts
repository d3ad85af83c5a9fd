import { test, expect } from "@playwright/test";
import { uniqueTitle } from "./helpers";

test.use({ javaScriptEnabled: false });

test("without JavaScript an incident can be reported and the board renders completely", async ({ page }) => {
  const title = uniqueTitle("No-JS report");
  await page.goto("/incidents/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Reported by").fill("Plain HTML");
  await page.getByRole("button", { name: "Report incident" }).click();
  await page.waitForURL(/\/incidents\/INC-/);
  await expect(page.getByTestId("incident-title")).toHaveText(title);
  const reference = page.url().split("/").pop()!;

  await page.goto("/");
  for (const phase of ["identification", "containment", "eradication", "recovery", "lessons_learned", "closed"]) {
    await expect(page.getByTestId(`column-${phase}`)).toBeVisible();
  }
  const card = page.getByTestId("column-identification").locator(`[data-reference="${reference}"]`);
  await expect(card).toContainText(title);

  // The card's own form moves it without JavaScript.
  await card.getByRole("button", { name: `Move ${reference} to Containment` }).click();
  await page.waitForURL(/\/\??$/);
  await expect(page.getByTestId("column-containment").locator(`[data-reference="${reference}"]`)).toBeVisible();
});

test("without JavaScript validation errors still reach the form", async ({ page }) => {
  await page.goto("/incidents/new");
  await page.getByRole("button", { name: "Report incident" }).click();
  await expect(page.getByTestId("title-error")).toHaveText("Title is required.");
});
