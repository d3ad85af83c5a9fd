import { defineConfig } from "@playwright/test";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { adminStatePath, mailSinkPorts, PASSWORD } from "./tests/accounts";

// The release binary and its site folder; scripts/test.sh sets both when the
// cargo target directory lives outside the repository.
const targetDir = process.env.FIREBREAK_TARGET_DIR ?? path.resolve(__dirname, "../target");
const binary = process.env.FIREBREAK_BIN ?? path.join(targetDir, "release", "firebreak");
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.resolve(__dirname, "../target/site");
const port = Number(process.env.FIREBREAK_E2E_PORT ?? 3100);
// A fresh database for every run.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "firebreak-e2e-"));
const database = `sqlite://${dataDir}/e2e.db`;
const sink = mailSinkPorts();
// The accounts the tests sign in with (see tests/accounts.ts), created with
// the real command line before the server starts.
const password = PASSWORD;
const accounts = [
  ["e2e-admin", "admin"],
  ["e2e-signin", "responder"],
  ["e2e-lockout", "responder"],
  ["e2e-totp", "responder"],
  ["e2e-manager", "manager"],
];
const createAccounts = accounts
  .map(
    ([user, role]) =>
      `echo '${password}' | "${binary}" user create --username ${user} --role ${role} --password-stdin --database-url "${database}"`,
  )
  .join(" && ");

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  projects: [
    // Signs in once as the admin and saves the session for the other tests.
    { name: "sign-in", testMatch: /global\.setup\.ts/ },
    {
      name: "app",
      testMatch: /.*\.spec\.ts/,
      dependencies: ["sign-in"],
      use: { storageState: adminStatePath() },
    },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    // A real SMTP receiver the server sends stakeholder updates to.
    {
      command: `node support/smtp-sink.mjs ${sink.smtp} ${sink.http}`,
      url: `http://127.0.0.1:${sink.http}/messages`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command:
        `${createAccounts} && "${binary}" serve --addr 127.0.0.1:${port} --database-url "${database}"` +
        ` --smtp-url smtp://127.0.0.1:${sink.smtp} --mail-from "Firebreak <firebreak@example.org>" --delivery-interval-secs 1`,
      url: `http://127.0.0.1:${port}/sign-in`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { LEPTOS_SITE_ROOT: siteRoot, RUST_LOG: "warn" },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
