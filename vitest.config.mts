import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";

/**
 * Every suite, run by `npm test`:
 * - unit: pure modules (SegmentQL, wire parsing, tag helpers) in Node.
 * - worker: the real worker in workerd through @cloudflare/vitest-plugin.
 * - fault: a real `wrangler dev` killed under load (SIGKILL) and restarted.
 * - browser: Debian's Chromium (Playwright) against `wrangler dev`.
 */
export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "test-admin-token",
                PATHLIGHT_ENV: "development",
                PATH_PREFIX: "/px",
                // Webhook retry delays shrunk 100,000× so the whole schedule runs in seconds.
                WEBHOOK_RETRY_SCALE: "0.00001",
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          // A real HTTP receiver for webhook deliveries (subscriptions tests).
          globalSetup: ["test/worker/receiver-setup.ts"],
        },
      },
      {
        test: {
          // A real `wrangler dev` killed with SIGKILL under load and restarted on its state.
          name: "fault",
          include: ["test/fault/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 150_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/browser/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
