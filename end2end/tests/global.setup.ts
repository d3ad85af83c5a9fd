import { test as setup } from "@playwright/test";
import { adminStatePath, signIn } from "./accounts";

setup("sign in as the admin", async ({ page }) => {
  await signIn(page, "e2e-admin");
  await page.context().storageState({ path: adminStatePath() });
});
