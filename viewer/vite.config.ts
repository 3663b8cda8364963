import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

// The protocol package exports its TypeScript under the `source` condition; reading it keeps the
// browser and the server on one definition without building signaling first.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  // Cornerstone's DICOM image loader decodes in module web workers that load the codecs' wasm through
  // `new URL(..., import.meta.url)`: the workers must be ES modules, and the dev server must not
  // pre-bundle the loader or the codecs (pre-bundling breaks those worker and wasm URLs).
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: [
      '@cornerstonejs/dicom-image-loader',
      '@cornerstonejs/codec-charls',
      '@cornerstonejs/codec-libjpeg-turbo-8bit',
      '@cornerstonejs/codec-openjpeg',
      '@cornerstonejs/codec-openjph',
      '@cornerstonejs/codec-libjxl',
    ],
    include: ['dicom-parser'],
  },
  server: {
    // `npm run dev -w @telemed/viewer` against a server started with `npm start` on :8080.
    proxy: {
      '/api': 'http://localhost:8080',
      '/socket.io': { target: 'http://localhost:8080', ws: true },
      '/dicomweb': 'http://localhost:8080',
    },
  },
});
