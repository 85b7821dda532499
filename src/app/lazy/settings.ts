// Loaded with import(): the core's settings validator and redactor, off the first page's script.
export { validateSettings, redactSettings } from '#core/index.ts';
