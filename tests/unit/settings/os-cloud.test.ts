/** os (booleans, udev rule names) and cloud (https URLs, fleet id + key, poll interval). */
import { describe, it } from 'vitest';
import { at, expectIssue, expectValid } from './helpers.ts';

describe('os', () => {
  it('accepts the options and named udev rules', () =>
    expectValid(at('os', { persistentLogging: true, developmentMode: false, udevRules: { '99-serial': 'KERNEL=="ttyUSB0", MODE="0666"', '50_usb.storage': 'x' } })));
  it('developmentMode must be a boolean', () => expectIssue(at('os.developmentMode', 'true'), 'os.developmentMode', 'must be true or false'));
  it('udev rule names must not end in .rules', () => expectIssue(at('os.udevRules', { '99-serial.rules': 'x' }), 'os.udevRules["99-serial.rules"]', 'use "99-serial"'));
  it.each(['../evil', '.hidden', 'with space', `9-${'a'.repeat(63)}`])('udev rule name %j is rejected', (name) =>
    expectIssue(at('os.udevRules', { [name]: 'x' }), `os.udevRules[${JSON.stringify(name)}]`, 'a udev rule name is 1–64'),
  );
  it('udev rule text must be non-empty text', () => {
    expectIssue(at('os.udevRules', { 'rule1': '' }), 'os.udevRules.rule1', 'must not be empty');
    expectIssue(at('os.udevRules', { 'rule1': 1 }), 'os.udevRules.rule1', 'must be a string');
  });
});

describe('cloud', () => {
  const fleet = { apiEndpoint: 'https://api.balena-cloud.com', applicationId: 42, provisioningKey: 'abcDEF123_-' };
  const cloud = (c: Record<string, unknown>) => at('cloud', c);

  it('accepts a fleet and the endpoints', () =>
    expectValid(cloud({ ...fleet, initialDeviceName: 'Front door #2', deviceType: 'raspberrypi4-64', vpnEndpoint: 'vpn.balena-cloud.com', registryEndpoint: 'registry2.balena-cloud.com', deltaEndpoint: 'https://delta.balena-cloud.com', appUpdatePollInterval: 900000 })));
  it('an API endpoint alone (openBalena, registered later) is fine', () => expectValid(cloud({ apiEndpoint: 'https://api.openbalena.local' })));

  it.each([
    ['http://api.balena-cloud.com', 'must be an https:// URL'],
    ['api.balena-cloud.com', 'is not a URL'],
    ['https://user:pw@api.example.com', 'must not contain a user name or password'],
  ])('apiEndpoint %j is rejected', (apiEndpoint, fragment) => expectIssue(cloud({ ...fleet, apiEndpoint }), 'cloud.apiEndpoint', fragment));
  it('deltaEndpoint must be https too', () => expectIssue(cloud({ deltaEndpoint: 'ftp://delta' }), 'cloud.deltaEndpoint', 'must be an https:// URL'));

  it.each([0, -3, 1.5, '42'])('applicationId %j must be a positive integer', (applicationId) =>
    expectIssue(cloud({ ...fleet, applicationId }), 'cloud.applicationId', 'at least 1'),
  );
  it('applicationId and provisioningKey go together, and need apiEndpoint', () => {
    expectIssue(cloud({ apiEndpoint: fleet.apiEndpoint, applicationId: 42 }), 'cloud.provisioningKey', 'required with applicationId');
    expectIssue(cloud({ apiEndpoint: fleet.apiEndpoint, provisioningKey: 'k' }), 'cloud.applicationId', 'required with provisioningKey');
    expectIssue(cloud({ applicationId: 42, provisioningKey: 'k' }), 'cloud.apiEndpoint', 'required to register with a fleet');
  });
  it('provisioningKey has no spaces', () => expectIssue(cloud({ ...fleet, provisioningKey: 'abc def' }), 'cloud.provisioningKey', 'letters, digits'));
  it('deviceType is a slug', () => expectIssue(cloud({ deviceType: 'Raspberry Pi 4' }), 'cloud.deviceType', 'device type slug'));
  it('initialDeviceName is one line of at most 64 characters', () => {
    expectIssue(cloud({ initialDeviceName: 'a\nb' }), 'cloud.initialDeviceName', 'single line');
    expectIssue(cloud({ initialDeviceName: 'x'.repeat(65) }), 'cloud.initialDeviceName', 'at most 64');
  });
  it('vpnEndpoint is a host name', () => expectIssue(cloud({ vpnEndpoint: 'https://vpn.example.com' }), 'cloud.vpnEndpoint', 'not a valid host name'));
  it('appUpdatePollInterval is milliseconds, at least 10 minutes', () => {
    expectIssue(cloud({ appUpdatePollInterval: 15 }), 'cloud.appUpdatePollInterval', '15 looks like minutes or seconds');
    expectIssue(cloud({ appUpdatePollInterval: 300000 }), 'cloud.appUpdatePollInterval', 'must be at least 600000 milliseconds (10 minutes); it is 300000');
  });
});
