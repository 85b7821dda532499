/**
 * The chosen device and the search over the catalogue (the core's searchDevices). The catalogue
 * module is loaded with import() so it is not part of the page's first script; until it has
 * loaded there is nothing to search or choose.
 */
import type { DeviceType } from '#core/index.ts';

/** What the app uses of the catalogue module (src/app/lazy/catalogue.ts). */
export type Catalogue = typeof import('../lazy/catalogue.ts');

export class DeviceChoice {
  catalogue = $state.raw<Catalogue | null>(null);
  devices = $state.raw<readonly DeviceType[]>([]);
  query = $state('');
  selected = $state.raw<DeviceType | null>(null);
  loadError = $state<string | null>(null);
  readonly matches = $derived(this.catalogue ? this.catalogue.searchDevices(this.query, { devices: this.devices }) : []);

  /** Loads the catalogue; `load` is replaceable for tests. */
  async load(load: () => Promise<Catalogue> = () => import('../lazy/catalogue.ts')): Promise<void> {
    try {
      const catalogue = await load();
      this.devices = catalogue.listDevices();
      this.catalogue = catalogue;
    } catch (error) {
      this.loadError = `The device catalogue did not load (${(error as Error).message}). Reload the page to try again.`;
    }
  }

  select(device: DeviceType): void {
    this.selected = device;
  }

  /** How the OS gets onto the device, in a few words ("written to an SD card or a USB stick"). */
  installLabel(device: DeviceType): string {
    return this.catalogue?.installLabel(device) ?? '';
  }

  /** What to do with the configured image `imageName` on the chosen device, one sentence a step; [] without a device. */
  installSteps(imageName?: string): string[] {
    return this.selected && this.catalogue ? this.catalogue.installSteps(this.selected, imageName) : [];
  }
}
