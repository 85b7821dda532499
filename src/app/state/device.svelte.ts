/**
 * The chosen device and the search over the catalogue. The catalogue module is loaded with
 * import() so it is not part of the page's first script.
 */
import type { DeviceType } from '#core/index.ts';
import { searchDevices } from './device-search.ts';

export class DeviceChoice {
  devices = $state.raw<readonly DeviceType[]>([]);
  query = $state('');
  selected = $state.raw<DeviceType | null>(null);
  loadError = $state<string | null>(null);
  readonly matches = $derived(searchDevices(this.devices, this.query));

  /** Loads the catalogue; `load` is replaceable for tests. */
  async load(load: () => Promise<readonly DeviceType[]> = async () => (await import('../lazy/catalogue.ts')).listDevices()): Promise<void> {
    try {
      this.devices = await load();
    } catch (error) {
      this.loadError = `The device catalogue did not load (${(error as Error).message}). Reload the page to try again.`;
    }
  }

  select(device: DeviceType): void {
    this.selected = device;
  }
}
