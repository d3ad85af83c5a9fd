import { defineConfig } from "@playwright/test";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";

// The release binary and its site folder; scripts/test.sh sets both when the
// cargo target directory lives outside the repository.
const targetDir = process.env.FIREBREAK_TARGET_DIR ?? path.resolve(__dirname, "../target");
const binary = process.env.FIREBREAK_BIN ?? path.join(targetDir, "release", "firebreak");
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.resolve(__dirname, "../target/site");
const port = Number(process.env.FIREBREAK_E2E_PORT ?? 3100);
// A fresh database for every run.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "firebreak-e2e-"));

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
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
  webServer: {
    command: `"${binary}" serve --addr 127.0.0.1:${port} --database-url "sqlite://${dataDir}/e2e.db"`,
    url: `http://127.0.0.1:${port}/`,
    timeout: 60_000,
    reuseExistingServer: false,
    env: { LEPTOS_SITE_ROOT: siteRoot, RUST_LOG: "warn" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
