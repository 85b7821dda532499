// Shows that the core runs in the browser: the device catalogue comes from src/core, unchanged.
import { listDevices } from '#core/index.ts';

const target = document.getElementById('devices');
if (target) target.textContent = `${listDevices().length} balenaOS device types are in the catalogue.`;
