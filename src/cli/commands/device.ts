// The device catalogue, loaded on demand: `configure` imports this only when --device is given.
export { requireDevice } from '../../core/index.ts';
