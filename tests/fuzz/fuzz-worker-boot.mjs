// Worker threads do not get vitest's TypeScript transform: register tsx's loader, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-worker.ts');
