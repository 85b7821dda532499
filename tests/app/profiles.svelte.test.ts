/**
 * ProfilesState (runes) over the real form state, the core's lazy settings module and idb on
 * fake-indexeddb: what the Profiles panel does, without a browser.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfilesState } from '../../src/app/profiles/profiles.svelte.ts';
import { DB_NAME, ProfileStore } from '../../src/app/profiles/profile-store.ts';
import { SettingsFormState } from '../../src/app/state/settings.svelte.ts';
import { secretsIn, withSecrets } from '../unit/app/profiles/fixtures.ts';

let store: ProfileStore;
afterEach(async () => {
  store?.close();
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = resolve;
  });
});

async function setUp(): Promise<{ form: SettingsFormState; profiles: ProfilesState }> {
  const form = new SettingsFormState();
  await form.import(JSON.stringify(withSecrets));
  store = new ProfileStore();
  const profiles = new ProfilesState(form, store);
  await profiles.refresh();
  return { form, profiles };
}

describe('ProfilesState', { timeout: 60_000 }, () => {
  it('saves the form, asks before replacing a name, and opens sealed secrets only with the passphrase', async () => {
    const { form, profiles } = await setUp();
    expect(profiles.loaded).toBe(true);
    expect(profiles.profiles).toEqual([]);
    expect(await profiles.save('Farm', 'field passphrase')).toBe('saved');
    expect(profiles.message.text).toBe('Saved profile “Farm” with 11 secrets encrypted.');
    expect(await profiles.save('farm', undefined)).toBe('exists');
    expect(await profiles.save('farm', undefined, true)).toBe('saved'); // replaced: now without secrets
    expect(profiles.profiles.map((p) => [p.name, p.sealed === undefined])).toEqual([['farm', true]]);
    expect(await profiles.save('Sealed', 'field passphrase')).toBe('saved');

    form.reset();
    const sealed = profiles.profiles.find((p) => p.name === 'Sealed')!;
    expect(await profiles.open(sealed.id, 'wrong passphrase')).toBe(false);
    expect(profiles.message).toEqual({ text: 'Wrong passphrase — nothing was opened.', tone: 'error' });
    expect(form.settings).toEqual({ version: 1 });
    expect(await profiles.open(sealed.id, 'field passphrase')).toBe(true);
    expect(form.settings.network?.wifi?.[0].passphrase).toBe(withSecrets.network!.wifi![0].passphrase);
    expect(form.settings.cloud?.provisioningKey).toBe(withSecrets.cloud!.provisioningKey);
    expect(profiles.message.text).toMatch(/^Opened “Sealed”, secrets included/);

    expect(await profiles.open(profiles.profiles[0].id)).toBe(true);
    expect(secretsIn(JSON.stringify(form.settings))).toEqual([]);
    expect(form.settings.hostname).toBe('greenhouse');
  });

  it('exports without secrets, imports a file under a free name with the core’s problems, refuses non-settings', async () => {
    const { profiles } = await setUp();
    await profiles.save('Farm', 'field passphrase');
    const file = await profiles.exportFile(profiles.profiles[0].id);
    expect(file?.fileName).toBe('Farm.json');
    expect(secretsIn(file!.json)).toEqual([]);

    expect(await profiles.importFile(file!.json, 'Farm.json', undefined)).toBe(true);
    expect(profiles.profiles.map((p) => p.name)).toEqual(['Farm', 'Farm (2)']);
    expect(profiles.importIssues.map((i) => i.path)).toContain('network.wifi[0].passphrase');

    // A file with secrets, imported with a passphrase: sealed; without: stripped.
    expect(await profiles.importFile(JSON.stringify(withSecrets), 'site b.json', 'another passphrase')).toBe(true);
    expect(profiles.profiles.find((p) => p.name === 'site b')?.sealed?.iterations).toBe(600_000);
    expect(await profiles.importFile(JSON.stringify(withSecrets), 'site c.json', undefined)).toBe(true);
    expect(secretsIn(JSON.stringify(profiles.profiles.find((p) => p.name === 'site c')))).toEqual([]);

    expect(await profiles.importFile('{"version": 2}', 'v2.json', undefined)).toBe(false);
    expect(profiles.message.tone).toBe('error');
    expect(profiles.message.text).toMatch(/^v2\.json was not imported: version: /);
    expect(await profiles.importFile('not json', 'x.json', undefined)).toBe(false);
    expect(profiles.profiles).toHaveLength(4);
  });

  it('renames, deletes, and makes a share link without secrets', async () => {
    const { profiles } = await setUp();
    await profiles.save('A', undefined);
    await profiles.save('B', undefined);
    const [a, b] = profiles.profiles;
    expect(await profiles.rename(a.id, 'B')).toBe(false);
    expect(profiles.message.text).toBe('A profile with that name already exists.');
    expect(await profiles.rename(a.id, 'C')).toBe(true);
    expect(profiles.profiles.map((p) => p.name)).toEqual(['B', 'C']);
    expect(await profiles.remove(b.id)).toBe(true);
    expect(profiles.profiles.map((p) => p.name)).toEqual(['C']);

    const { url, secretPaths } = await profiles.shareLink('https://example.org/preflash/');
    expect(url).toMatch(/^https:\/\/example\.org\/preflash\/#settings=[\w-]+$/);
    expect(secretPaths).toHaveLength(11);
    expect(secretsIn(Buffer.from(url.split('#settings=')[1], 'base64url').toString())).toEqual([]);
  });
});
