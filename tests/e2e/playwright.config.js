// Browser end-to-end tests of softmax-lab: Debian's Chromium (headless) against scripts/serve.mjs.
// Run: npm run e2e   (or: npx playwright test --config tests/e2e/playwright.config.js)
// E2E_PORT overrides the port (default 8765) if two runs share a machine.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from './support/chromium.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PORT = Number(process.env.E2E_PORT || 8765);
const BASE = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.js$/,
  outputDir: resolve(REPO, 'test-results'),
  fullyParallel: true,
  workers: 2,
  retries: 0, // deterministic tests (seeded defaults): a failure is a failure
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['html', { outputFolder: resolve(REPO, 'tests/e2e/report'), open: 'never' }]],
  use: {
    baseURL: BASE,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `node scripts/serve.mjs --port ${PORT} --test-data`,
    cwd: REPO,
    url: `${BASE}/index.html`,
    env: { SERVE_QUIET: '1' },
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
