import { expect, Page } from "@playwright/test";
import * as os from "os";
import * as path from "path";

/** The password of every test account (created by playwright.config.ts). */
export const PASSWORD = "correct horse battery staple";

/**
 * Where the admin's signed-in browser state is kept between the sign-in
 * setup and the tests. Every Playwright process computes the same path
 * (the config is loaded again in each worker).
 */
export function adminStatePath(): string {
  return path.join(os.tmpdir(), `firebreak-e2e-admin-${process.env.FIREBREAK_E2E_PORT ?? 3100}.json`);
}

/** The loopback SMTP receiver's ports: SMTP, and HTTP for reading what arrived. */
export function mailSinkPorts(): { smtp: number; http: number } {
  const port = Number(process.env.FIREBREAK_E2E_PORT ?? 3100);
  return { smtp: port + 25, http: port + 26 };
}

/** Signs in through the form and waits for the board. */
export async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}
