// Dashboard build: the server serves web/dist at `/` with an SPA fallback, so assets use absolute paths.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `yardstick serve` listens on 3000 by default; the dev server forwards API calls to it.
    proxy: { '/api': process.env.YARDSTICK_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
