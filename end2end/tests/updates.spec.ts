import { expect, test } from "@playwright/test";
import { mailSinkPorts, signIn } from "./accounts";
import { hydrated, reportIncident, seriousA11yViolations, uniqueTitle } from "./helpers";

type Mail = { from: string; to: string[]; data: string };

test("a stakeholder update is drafted, approved, sent and arrives by email", async ({ browser, page, request }) => {
  // Someone to tell: an executive with email, and the DPO by phone.
  const unique = Date.now().toString(36);
  const address = `board-${unique}@example.org`;
  await page.goto("/preparation");
  await hydrated(page);
  const directory = page.getByRole("form", { name: "Add a stakeholder" });
  for (const [audience, name, contact] of [
    ["executives", `Board ${unique}`, address],
    ["legal_dpo", `DPO ${unique}`, "Desk phone 0161 496 0000"],
  ]) {
    await directory.getByLabel("Audience").selectOption(audience);
    await directory.getByLabel("Name").fill(name);
    await directory.getByLabel("Contact").fill(contact);
    await directory.getByRole("button", { name: "Add stakeholder" }).click();
    await expect(page.getByTestId("stakeholder").filter({ hasText: name })).toBeVisible();
  }

  const title = uniqueTitle("Payroll lure");
  const reference = await reportIncident(page, title);
  const updates = page.getByTestId("updates");
  await expect(updates.getByTestId("update-due")).toContainText("The first update is due");
  const form = page.getByRole("form", { name: "Draft a stakeholder update" });

  // Nothing chosen: the message sits next to the audiences.
  await form.getByLabel("Impact").fill("Finance mail is slow.");
  await form.getByLabel("Actions taken").fill("Sender blocked; two passwords reset.");
  await form.getByLabel("Next steps").fill("Sweep every mailbox for the lure.");
  await form.getByRole("button", { name: "Save draft" }).click();
  await expect(form.locator("#update-new-audiences-error")).toContainText("Choose at least one audience");

  await form.getByRole("checkbox", { name: "Executives" }).check();
  await form.getByRole("checkbox", { name: "Legal / DPO" }).check();
  await form.getByLabel("TLP marking of this update").selectOption("amber");
  await form.getByRole("button", { name: "Save draft" }).click();
  const card = updates.getByTestId("stakeholder-update").first();
  await expect(card.getByTestId("update-state")).toHaveText("Draft");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await card.getByRole("button", { name: "Approve update 1" }).click();
  await expect(card.getByTestId("update-state")).toHaveText("Approved");
  await card.getByRole("button", { name: "Send update 1" }).click();
  await expect(card.getByTestId("update-state")).toHaveText("Sent");

  // The email leaves through the worker; the page follows its progress.
  const emailed = card.getByTestId("delivery").filter({ hasText: address });
  await expect(emailed.getByTestId("delivery-status")).toContainText("Delivered", { timeout: 20_000 });
  const sink = `http://127.0.0.1:${mailSinkPorts().http}/messages`;
  const mail = ((await (await request.get(sink)).json()) as Mail[]).find((m) => m.to.includes(address));
  expect(mail, "the SMTP receiver got the update").toBeTruthy();
  expect(mail!.data).toContain(`${reference} update 1: ${title}`);
  expect(mail!.data).toContain("Sweep every mailbox for the lure.");

  // The DPO is told by phone and that is recorded.
  const phoned = card.getByTestId("delivery").filter({ hasText: `DPO ${unique}` });
  await phoned.getByLabel("How (optional)").fill("Called at 14:05");
  await phoned.getByRole("button", { name: "Mark told" }).click();
  await expect(phoned.getByTestId("delivery-status")).toContainText("Told");

  await expect(updates.getByTestId("update-due")).toContainText("The next update is due");
  const timeline = page.getByTestId("timeline");
  await expect(timeline).toContainText("Update 1 sent to Executives, Legal / DPO");
  await expect(timeline).toContainText("delivered by email");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A manager follows it on the status board, read-only (in a browser of
  // their own: signing in here would end the shared admin session).
  const managerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const manager = await managerContext.newPage();
  await signIn(manager, "e2e-manager");
  await manager.goto("/status");
  await hydrated(manager);
  const row = manager.getByTestId("status-row").filter({ hasText: reference });
  await expect(row).toContainText(title);
  await expect(row).toContainText("Update 1");
  await expect(row).toContainText("Sweep every mailbox for the lure.");
  await expect(row.getByRole("button")).toHaveCount(0);
  expect(await seriousA11yViolations(manager)).toEqual([]);
  await managerContext.close();
});

test("a new incident owes its first update one cadence after it was reported", async ({ page }) => {
  // Reported now at P4 (low impact, low urgency) it is not yet due.
  await page.goto("/incidents/new");
  await hydrated(page);
  const title = uniqueTitle("Quiet scan");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Summary").fill("Port scan from one address.");
  await page.getByLabel("Reported by").fill("E2E reporter");
  await page.getByLabel("Urgency").selectOption("low");
  await page.getByRole("button", { name: "Report incident" }).click();
  await page.waitForURL(/\/incidents\/INC-/);
  await expect(page.getByTestId("update-due")).toHaveAttribute("data-overdue", "false");
  await expect(page.getByTestId("update-due")).toContainText("The first update is due");
  await expect(page.getByTestId("update-due")).toContainText("(in 2d 23h");
  await page.goto("/status");
  await hydrated(page);
  const row = page.getByTestId("status-row").filter({ hasText: title });
  await expect(row).toContainText("None sent yet");
  await expect(row.getByTestId("status-update-overdue")).toHaveCount(0);
});
