import { expect, Page, test } from "@playwright/test";
import * as crypto from "crypto";
import { adminStatePath, PASSWORD, signIn } from "./accounts";
import { hydrated, reportIncident, seriousA11yViolations, uniqueTitle } from "./helpers";

// These tests start signed out.
test.use({ storageState: { cookies: [], origins: [] } });

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret. */
function totp(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = crypto.createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, "0");
}

async function submitSignIn(page: Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an unknown visitor is sent to sign in, and comes back where they were going", async ({ page }) => {
  await page.goto("/indicators?kind=ip&value=192.0.2.1");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await hydrated(page);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await submitSignIn(page, "e2e-signin", PASSWORD);
  await page.waitForURL(/\/indicators\?kind=ip&value=192\.0\.2\.1$/);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
});

test("sign in and sign out", async ({ page }) => {
  await signIn(page, "e2e-signin");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
  // The old session is gone: the board sends us back to sign in.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a wrong password gets a clear message next to the field", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await submitSignIn(page, "e2e-signin", "not the password at all");
  await expect(page.getByTestId("sign-in-password-error")).toHaveText("The username or password is wrong.");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("repeated failures lock the account, even for the right password", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  for (let n = 0; n < 5; n++) {
    await submitSignIn(page, "e2e-lockout", `wrong guess number ${n}`);
    await expect(page.getByTestId("sign-in-password-error")).toHaveText("The username or password is wrong.");
  }
  await submitSignIn(page, "e2e-lockout", PASSWORD);
  await expect(page.getByTestId("error-alert")).toContainText("Too many failed attempts. Try again in");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("enrol an authenticator app, then sign in with a code", async ({ page }) => {
  await signIn(page, "e2e-totp");
  await page.goto("/account");
  await hydrated(page);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await expect(page.getByRole("img", { name: "QR code of the enrolment key" })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByLabel("Code shown by the app").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await expect(page.getByTestId("totp-status")).toContainText("On");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
  await hydrated(page);
  await submitSignIn(page, "e2e-totp", PASSWORD);
  const code = page.getByLabel("Authenticator code or recovery code");
  await expect(code).toBeVisible();
  await expect(page.getByTestId("sign-in-code-error")).toContainText("6-digit code");
  // The code used to enrol cannot be used again; the next one can.
  await code.fill(totp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
});

test("a manager's board is read-only: no drag and drop, no move controls", async ({ browser, page }) => {
  // An admin (the default signed-in state) reports an incident so the board has a card.
  const adminContext = await browser.newContext({ storageState: adminStatePath() });
  const adminPage = await adminContext.newPage();
  const reference = await reportIncident(adminPage, uniqueTitle("Watched by a manager"));
  await adminContext.close();

  await signIn(page, "e2e-manager");
  await hydrated(page);
  const card = page.locator(`[data-testid="incident-card"][data-reference="${reference}"]`);
  await expect(card).toBeVisible();
  await expect(card).not.toHaveAttribute("draggable", "true");
  await expect(card.getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("board-help")).toContainText("moving them between phases is for the response team");
  // The keyboard shortcut does nothing either.
  await card.focus();
  await page.keyboard.press("Alt+ArrowRight");
  await page.reload();
  await expect(page.getByTestId("column-identification").locator(`[data-reference="${reference}"]`)).toBeVisible();
});
