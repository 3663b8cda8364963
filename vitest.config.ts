import { defineConfig, defaultClientConditions, defaultServerConditions } from 'vite';

// Workspace packages export `source` (their TypeScript) ahead of `dist`, so tests run the code
// as written; the running server uses the built `dist`.
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{sfu,signaling,pacs-bridge,viewer}/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Two cores: browsers and mediasoup workers would starve each other in parallel files.
          fileParallelism: false,
        },
      },
    ],
  },
});
