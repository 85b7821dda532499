import { defineConfig } from 'vite';

// The app (Svelte 5 UI, worker, service worker) lands on top of this config in its own issue;
// today the build serves the placeholder page in index.html.
export default defineConfig({
  build: { outDir: 'dist/app', emptyOutDir: true, target: 'es2022' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
});
