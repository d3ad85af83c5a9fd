import { test, expect } from "@playwright/test";
import { hydrated, reportIncident, seriousA11yViolations, uniqueTitle } from "./helpers";

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test("the board has no serious or critical axe violations", async ({ page }) => {
      await reportIncident(page, uniqueTitle("A11y board"));
      await page.goto("/");
      await hydrated(page);
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    test("the new-incident form has no serious or critical axe violations", async ({ page }) => {
      await page.goto("/incidents/new");
      await hydrated(page);
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    test("the indicator search page has no serious or critical axe violations", async ({ page }) => {
      await page.goto("/indicators?kind=ip&value=203.0.113.99");
      await hydrated(page);
      await expect(page.getByTestId("sightings-empty")).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    for (const path of ["/admin/users", "/admin/audit", "/account", "/preparation", "/status", "/preparation/regulatory"]) {
      test(`${path} has no serious or critical axe violations`, async ({ page }) => {
        await page.goto(path);
        await hydrated(page);
        await expect(page.locator("h1")).toBeVisible();
        expect(await seriousA11yViolations(page)).toEqual([]);
      });
    }

    test("the incident page has no serious or critical axe violations", async ({ page }) => {
      const reference = await reportIncident(page, uniqueTitle("A11y page"), "fraud/phishing");
      // With the checklist, the refused move and its override form on screen.
      await page.getByTestId("move-forward").click();
      await expect(page.getByTestId("phase-gate")).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByLabel("Override reason (goes on the timeline)").fill("Accessibility check");
      await page.getByTestId("override-gate").click();
      await expect(page.getByTestId("incident-phase")).toHaveText("Containment");
      await page.goto(`/incidents/${reference}`);
      await hydrated(page);
      expect(await seriousA11yViolations(page)).toEqual([]);
    });
  });
}
