import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The app's state classes (.svelte.ts, runes) need the Svelte compiler, which the core's test
// config does not load: they are tested here, in Node, with `npx vitest run -c vitest.app.config.ts`.
export default defineConfig({
  plugins: [svelte()],
  test: { include: ['tests/app/**/*.test.ts'], environment: 'node' },
});
