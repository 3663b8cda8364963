import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

// The protocol package exports its TypeScript under the `source` condition; reading it keeps the
// browser and the server on one definition without building signaling first.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    // `npm run dev -w @telemed/viewer` against a server started with `npm start` on :8080.
    proxy: {
      '/api': 'http://localhost:8080',
      '/socket.io': { target: 'http://localhost:8080', ws: true },
    },
  },
});
