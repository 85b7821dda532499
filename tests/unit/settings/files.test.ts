/** files: boot-partition paths, FAT name rules, NetworkManager's ignored names, clashes. */
import { describe, it } from 'vitest';
import { at, expectIssue, expectValid } from './helpers.ts';

const files = (entries: Record<string, unknown>) => ({ files: entries });
const p = (name: string) => `files[${JSON.stringify(name)}]`;

describe('files', () => {
  it('accepts keyfiles, dispatcher scripts and other boot files', () =>
    expectValid(files({ 'system-connections/office': '[connection]\n', 'system-connections/home-wifi.nmconnection': 'x', 'dispatcher.d/50-up': '#!/bin/sh\n', 'splash.txt': '' })));

  it.each([
    ['/system-connections/office', "no leading '/'"],
    ['system-connections\\office', "use '/' between folders"],
    ['system-connections/../config.json', "must not contain '.' or '..'"],
    ['system-connections//office', 'has an empty folder name'],
    ['', 'must not be empty'],
    ['notes/what?.txt', '"?" is not allowed in FAT file names'],
    ['notes/trailing.', 'ends with a dot or space'],
  ])('path %j is rejected', (name, fragment) => expectIssue(files({ [name]: 'x' }), p(name), fragment));

  it('config.json is written from the typed settings', () => expectIssue(files({ 'Config.json': '{}' }), p('Config.json'), 'written from the typed settings'));
  it('files balenaOS owns are protected', () => expectIssue(files({ 'device-type.json': '{}' }), p('device-type.json'), 'belongs to balenaOS'));

  it.each([
    ['system-connections/.office', 'NetworkManager ignores hidden files'],
    ['system-connections/office~', 'NetworkManager ignores backup files'],
    ['system-connections/ca.PEM', 'as certificates, not profiles'],
    ['system-connections/office.backup', 'NetworkManager ignores names ending in a dot and six letters or digits (like temporary files), here ".backup"'],
    ['system-connections/a.wifi01', 'a dot and six letters or digits'],
  ])('NetworkManager would ignore %j', (name, fragment) => expectIssue(files({ [name]: 'x' }), p(name), fragment));

  it('NetworkManager reads no sub-folders of system-connections', () =>
    expectIssue(files({ 'system-connections/wifi/home': 'x' }), p('system-connections/wifi/home'), 'only files directly inside system-connections/'));

  it('names differing only in case are one FAT file', () =>
    expectIssue(files({ 'system-connections/Office': 'a', 'system-connections/office': 'b' }), p('system-connections/office'), 'same file as files["system-connections/Office"]'));

  it('file text must be a string', () => expectIssue(files({ 'notes.txt': ['x'] }), p('notes.txt'), 'must be a string (the file text)'));

  it('proxy files clash with network.proxy', () =>
    expectIssue({ ...at('network.proxy', { type: 'socks5', host: '10.0.0.5', port: 1080 }), ...files({ 'system-proxy/redsocks.conf': 'x' }) }, p('system-proxy/redsocks.conf'), 'clashes with network.proxy'));
});
