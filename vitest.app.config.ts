import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The app's state classes (.svelte.ts, runes) need the Svelte compiler, which the core's test
// config does not load: they are tested here, in Node, with `npx vitest run -c vitest.app.config.ts`.
export default defineConfig({
  plugins: [svelte()],
  // The first import of the catalogue and validator takes seconds on a loaded 2-core machine.
  test: { include: ['tests/app/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
});
