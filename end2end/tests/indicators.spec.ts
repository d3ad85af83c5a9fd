import { test, expect } from "@playwright/test";
import { hydrated, reportIncident, uniqueTitle } from "./helpers";

async function addIndicator(page: import("@playwright/test").Page, kind: string, value: string) {
  const section = page.getByTestId("indicators");
  await section.getByLabel("Type").selectOption(kind);
  await section.getByLabel("Value").fill(value);
  await section.getByTestId("add-indicator").click();
}

test("a malformed indicator is refused next to the value field", async ({ page }) => {
  await reportIncident(page, uniqueTitle("Bad IOC"));
  await addIndicator(page, "ip", "300.1.2.3");
  await expect(page.getByTestId("ioc-value-error")).toContainText("IPv4 or IPv6");
  await expect(page.getByTestId("indicator")).toHaveCount(0);
});

test("the same indicator on two incidents is found by the cross-incident search", async ({ page }) => {
  // A value unique to this run, so earlier runs never match.
  const octet = (Date.now() % 250) + 1;
  const ip = `198.51.100.${octet}`;
  const first = await reportIncident(page, uniqueTitle("IOC one"));
  await addIndicator(page, "ip", ip);
  await expect(page.getByTestId("indicator-value")).toHaveText(ip);
  const second = await reportIncident(page, uniqueTitle("IOC two"));
  // Defanged, as analysts paste it from reports.
  await addIndicator(page, "ip", ip.replaceAll(".", "[.]"));
  await expect(page.getByTestId("indicator-value")).toHaveText(ip);
  await expect(page.getByTestId("also-seen")).toContainText(first);

  await page.getByRole("link", { name: "Where else was this seen?" }).click();
  await page.waitForURL(/\/indicators\?/);
  await hydrated(page);
  await expect(page.locator(`[data-testid="sighting"][data-reference="${first}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid="sighting"][data-reference="${second}"]`)).toBeVisible();
});
