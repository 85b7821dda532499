/**
 * The one call a form makes on each change: what is wrong (issues, which block configuring) and
 * what is merely suspicious (warnings, which do not). Cheap enough for every keystroke.
 */
import { findDevice } from '../catalogue/catalogue.ts';
import type { CoreWarning } from '../warnings.ts';
import { capabilityWarnings } from './capabilities.ts';
import type { SettingsIssue } from './issues.ts';
import { suspiciousSettings } from './suspicious.ts';
import type { Settings } from './types.ts';
import { validateSettings } from './validate.ts';

export interface SettingsCheck {
  /** Problems that make the settings unusable, each with its path; empty when valid. */
  issues: SettingsIssue[];
  /** Legal values that are probably mistakes, each with its path (code SETTINGS_SUSPICIOUS). */
  warnings: CoreWarning[];
  /** The typed settings, when there are no issues. */
  settings?: Settings;
}

export interface CheckSettingsOptions {
  /** The device type chosen (slug or alias): adds DEVICE_CAPABILITY warnings for hardware it lacks. */
  deviceSlug?: string;
}

export function checkSettings(value: unknown, options: CheckSettingsOptions = {}): SettingsCheck {
  const validation = validateSettings(value);
  const device = options.deviceSlug ? findDevice(options.deviceSlug) : undefined;
  const warnings = [...suspiciousSettings(value), ...(device ? capabilityWarnings(value, device) : [])];
  return validation.ok ? { issues: [], warnings, settings: validation.settings } : { issues: validation.issues, warnings };
}
