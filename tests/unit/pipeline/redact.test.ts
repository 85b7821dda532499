import { describe, expect, it } from 'vitest';
import { redactConfigJson } from '../../../src/core/pipeline/redact.ts';
import { REDACTED } from '../../../src/core/settings/redact.ts';

describe('redactConfigJson (what inspect shows)', () => {
  it('masks provisioning and device keys at any depth, keeps everything else', () => {
    const shown = redactConfigJson({
      deviceType: 'raspberrypi4-64',
      apiKey: 'provisioning-secret',
      deviceApiKeys: { 'api.balena-cloud.com': 'device-secret' },
      os: { sshKeys: ['ssh-ed25519 AAAA… alice'], nested: [{ deviceApiKey: 'x' }] },
      hostname: 'unit-1',
    });
    expect(shown).toEqual({
      deviceType: 'raspberrypi4-64',
      apiKey: REDACTED,
      deviceApiKeys: REDACTED,
      os: { sshKeys: ['ssh-ed25519 AAAA… alice'], nested: [{ deviceApiKey: REDACTED }] },
      hostname: 'unit-1',
    });
    expect(JSON.stringify(shown)).not.toMatch(/secret/);
  });
});
