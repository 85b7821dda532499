/** validateSettings / parseSettings as a whole: version, types, unknown keys, all issues, JSON errors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/core/errors.ts';
import { parseSettings, validateSettings } from '../../../src/core/settings/validate.ts';
import { expectIssue, expectValid, issuesOf } from './helpers.ts';

const completeText = readFileSync(new URL('./fixtures/complete.json', import.meta.url), 'utf8');

describe('settings version', () => {
  it('accepts version 1 and nothing else', () => {
    expectValid({});
  });

  it('version missing → "version: required"', () => {
    const result = validateSettings({ hostname: 'pi' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.message)).toEqual(['version: required']);
  });

  it('a version this build does not know is the only issue reported', () => {
    const result = validateSettings({ version: 2, hostname: 'Not Valid', wifi: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ path: 'version', message: 'version: this build of Preflash reads settings version 1; the file says 2' }]);
  });

  it('version as a string is a type error naming version', () => {
    expectIssue({ version: '1' }, 'version', 'must be the number 1');
  });
});

describe('structure', () => {
  it('the settings must be an object', () => {
    for (const input of [null, [], 'x', 1]) {
      const result = validateSettings(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues[0]).toEqual({ path: '', message: 'settings: must be a JSON object like {"version": 1, …}' });
    }
  });

  it('wrong types name the field: "hostname: must be a string"', () => {
    expect(issuesOf({ hostname: 42 }).map((i) => i.message)).toEqual(['hostname: must be a string']);
    expectIssue({ network: 'wifi' }, 'network', 'must be an object');
    expectIssue({ network: { wifi: {} } }, 'network.wifi', 'must be an array');
    expectIssue({ network: { wifi: ['Home'] } }, 'network.wifi[0]', 'must be an object');
    expectIssue({ os: { persistentLogging: 'true' } }, 'os.persistentLogging', 'must be true or false');
    expectIssue({ network: { proxy: { type: 'socks5', host: '10.0.0.1', port: '1080' } } }, 'network.proxy.port', 'must be a whole number from 1 to 65535');
  });

  it('unknown keys are errors, with a suggestion when it looks like a typo', () => {
    expectIssue({ network: { wifi: [{ ssid: 'Home', pasphrase: 'x' }] } }, 'network.wifi[0].pasphrase', 'unknown key (did you mean "passphrase"?)');
    expectIssue({ hostnmae: 'pi' }, 'hostnmae', 'unknown key (did you mean "hostname"?)');
    expect(issuesOf({ colour: 'blue' })).toEqual([{ path: 'colour', message: 'colour: unknown key' }]);
  });

  it('required keys are named', () => {
    expectIssue({ network: { wifi: [{ passphrase: 'longenough' }] } }, 'network.wifi[0].ssid', 'required');
  });

  it('collects every issue, not just the first', () => {
    const messages = issuesOf({ hostname: '-bad-', network: { country: 'XX', dnsServers: ['1.2.3'] }, ssh: { authorizedKeys: ['nope'] } }).map((i) => i.path);
    expect(messages).toEqual(['hostname', 'network.country', 'network.dnsServers[0]', 'ssh.authorizedKeys[0]']);
  });

  it('$schema is allowed for editors', () => {
    expectValid({ $schema: './settings.schema.json' });
    expectIssue({ $schema: 1 }, '$schema', 'must be a string');
  });
});

describe('parseSettings', () => {
  it('returns the settings of a valid file (BOM tolerated)', () => {
    const settings = parseSettings(`\uFEFF${completeText}`);
    expect(settings.hostname).toBe('greenhouse-07');
    expect(settings.network?.wifi).toHaveLength(4);
  });

  it('throws SETTINGS_INVALID with the first issue as message and all issues in detail', () => {
    try {
      parseSettings('{"version": 1, "hostname": "Pi", "network": {"country": "de"}}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CoreError);
      const error = e as CoreError;
      expect(error.code).toBe('SETTINGS_INVALID');
      expect(error.message).toBe('hostname: must be lower case: use "pi"');
      expect((error.detail.issues as { path: string }[]).map((i) => i.path)).toEqual(['hostname', 'network.country']);
    }
  });

  it('invalid JSON names line and column (V8 reports a position)', () => {
    const text = '{\n  "version": 1,\n  "hostname": "pi",,\n}';
    try {
      parseSettings(text);
      expect.unreachable();
    } catch (e) {
      const error = e as CoreError;
      expect(error.code).toBe('SETTINGS_INVALID');
      expect(error.message).toMatch(/^settings: not valid JSON/);
      // The second ',' on line 3: `  "hostname": "pi",,` is 19 characters before it.
      expect(error.message).toContain('at line 3, column 20');
    }
  });
});
