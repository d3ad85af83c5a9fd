import { test, expect } from "@playwright/test";
import { reportIncident, uniqueTitle } from "./helpers";

test("evidence is recorded with its hash and handed over along an append-only chain", async ({ page }) => {
  await reportIncident(page, uniqueTitle("Evidence"));
  const section = page.getByTestId("evidence");
  await section.getByText("Record evidence", { exact: true }).first().click();
  await section.getByLabel("Item").fill("Phishing email (.eml)");
  await section.getByLabel("Collected by").fill("Ann Analyst");
  await section.getByLabel("Storage location").fill("Case share /INC/evidence");
  await section.getByLabel("SHA-256 of the artefact (optional)").fill("1234");
  await section.getByTestId("add-evidence").click();
  await expect(page.getByTestId("evidence-sha256-error")).toHaveText("A SHA-256 is 64 hexadecimal characters.");

  await section.getByLabel("SHA-256 of the artefact (optional)").fill("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  await section.getByTestId("add-evidence").click();
  const item = section.getByTestId("evidence-item");
  await expect(item).toContainText("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  await expect(item.getByTestId("evidence-holder")).toHaveText("Held by Ann Analyst");

  // Only the holder can hand it over.
  await item.getByText("Hand over…").click();
  await item.getByLabel("From").fill("Someone else");
  await item.getByLabel("To").fill("Forensics lab");
  await item.getByLabel("Purpose").fill("Header analysis");
  await item.getByTestId("hand-over").click();
  await expect(page.getByTestId("handover-error")).toContainText("held by Ann Analyst");

  await item.getByLabel("From").fill("Ann Analyst");
  await item.getByTestId("hand-over").click();
  await expect(item.getByTestId("evidence-holder")).toHaveText("Held by Forensics lab");
  await expect(item.getByTestId("custody-entry")).toHaveCount(1);
  await expect(item.getByTestId("custody-entry")).toContainText("Header analysis");
  await expect(page.getByTestId("timeline")).toContainText("handed from Ann Analyst to Forensics lab");
});
