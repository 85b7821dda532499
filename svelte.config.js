// Svelte compiler options for the app (read by @sveltejs/vite-plugin-svelte and svelte-check).
export default {
  compilerOptions: { runes: true },
};
