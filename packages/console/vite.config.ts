// Builds the console into dist/, which `keyward serve` serves at `/`. In development, `npm run dev -w
// packages/console` proxies the API to a local `keyward serve` (KEYWARD_URL, default :8470).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env['KEYWARD_URL'] ?? 'http://127.0.0.1:8470';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/v1': api, '/metrics': api, '/healthz': api } },
});
