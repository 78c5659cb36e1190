import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In dev, the API runs on :8080 (pnpm start); the built app is served by the API itself.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
});
