import { test, expect } from "@playwright/test";
import { reportIncident, uniqueTitle } from "./helpers";

test("an affected asset moves through containment states, back only with a note", async ({ page }) => {
  await reportIncident(page, uniqueTitle("Scope"));
  const scope = page.getByTestId("scope");
  await scope.getByLabel("Name").fill("FS-FIN-02");
  await scope.getByTestId("add-affected").click();
  const item = scope.getByTestId("affected-item");
  await expect(item.getByTestId("affected-state")).toHaveText("Identified");
  await item.getByRole("button", { name: "Mark FS-FIN-02 isolated" }).click();
  await expect(item.getByTestId("affected-state")).toHaveText("Isolated");
  await item.getByText("Move back…").click();
  await item.getByRole("button", { name: "Move back" }).click();
  await expect(page.getByTestId("scope-error")).toContainText("needs a note");
  await item.getByLabel("Why").fill("Still beaconing to C2");
  await item.getByRole("button", { name: "Move back" }).click();
  await expect(item.getByTestId("affected-state")).toHaveText("Identified");
  await expect(page.getByTestId("timeline")).toContainText("Note: Still beaconing to C2");
});
