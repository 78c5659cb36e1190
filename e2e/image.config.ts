import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.ts';

// `pnpm test:image`: the container image built and run (see image/image.spec.ts). The first
// build on a machine takes minutes, hence the long timeout of the setup.
export default defineConfig({
  testDir: './image',
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  outputDir: './test-results/image',
  reporter: [['list'], ['json', { outputFile: '.test-results/image.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
});
