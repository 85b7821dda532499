/**
 * The embed's message module (src/embed/messages.ts): what each side accepts of `event.data`,
 * the lock names, and the app's rule for its parent's origin.
 */
import { describe, expect, it } from 'vitest';
import { eventName, parentOrigin, parseLock, readInMessage, readOutMessage } from '../../../src/embed/messages.ts';

describe('readInMessage', () => {
  it('keeps the well-formed members of a set and drops the rest', () => {
    expect(readInMessage({ type: 'preflash:set', device: 'raspberrypi4-64', preset: { version: 1 }, lock: ['device', 3], compact: true, extra: 1 }))
      .toEqual({ type: 'preflash:set', device: 'raspberrypi4-64', preset: { version: 1 }, lock: ['device'], compact: true });
    expect(readInMessage({ type: 'preflash:set', device: 'Not A Slug!' })).toEqual({ type: 'preflash:set' });
    expect(readInMessage({ type: 'preflash:set', device: null })).toEqual({ type: 'preflash:set', device: null });
  });

  it('is null for anything else', () => {
    for (const data of [null, 'preflash:set', [], { type: 'preflash:built' }, { type: 'other' }]) expect(readInMessage(data)).toBeNull();
  });

  it('keeps theme values that are colours, lengths or fonts, never url() or declarations', () => {
    const msg = readInMessage({ type: 'preflash:set', theme: { accent: '#7b2cbf', radius: '10px', font: "'Inter', sans-serif", bg: 'url(https://x/y.png)', text: 'red; background: blue', unknown: 'red', border: 'rgb(1, 2, 3)' } });
    expect(msg?.theme).toEqual({ accent: '#7b2cbf', radius: '10px', font: "'Inter', sans-serif", border: 'rgb(1, 2, 3)' });
  });
});

describe('readOutMessage', () => {
  it('reads each out-message and rejects malformed ones', () => {
    expect(readOutMessage({ type: 'preflash:hello' })).toEqual({ type: 'preflash:hello' });
    expect(readOutMessage({ type: 'preflash:ready', device: 'x', locked: ['cloud', 'nope'], presetIssues: 0 })).toEqual({ type: 'preflash:ready', device: 'x', locked: ['cloud'], presetIssues: 0 });
    expect(readOutMessage({ type: 'preflash:ready', device: 1, locked: [], presetIssues: 0 })).toBeNull();
    expect(readOutMessage({ type: 'preflash:error', code: 'BUILD_FAILED', message: 'm' })).toEqual({ type: 'preflash:error', code: 'BUILD_FAILED', message: 'm' });
    expect(readOutMessage({ type: 'preflash:error', code: 'NOPE', message: 'm' })).toBeNull();
    expect(readOutMessage({ type: 'preflash:resize', height: -1 })).toBeNull();
    const summary = { device: 'd', files: [{ path: 'config.json', size: 10, secret: 'x' }, { path: 3 }], output: { name: 'o.img', size: 5, format: 'raw' } };
    expect(readOutMessage({ type: 'preflash:built', summary })).toEqual({ type: 'preflash:built', summary: { device: 'd', files: [{ path: 'config.json', size: 10 }], output: { name: 'o.img', size: 5, format: 'raw' } } });
  });

  it('names the element events after the messages', () => {
    expect(eventName('preflash:built')).toBe('preflash-built');
  });
});

describe('parseLock', () => {
  it('reads names, shorthands and unknown words', () => {
    expect(parseLock('device, Cloud network')).toEqual({ locks: ['device', 'wifi', 'ethernet', 'cellular', 'regional', 'proxy', 'cloud'], unknown: [] });
    expect(parseLock(['vpn', 'fleet'])).toEqual({ locks: ['wireguard'], unknown: ['fleet'] });
  });
});

describe('parentOrigin', () => {
  const url = (q: string) => new URL(`https://app.example/index.html?embed${q}`);
  it('takes the origin parameter, checked against the browser’s ancestor origin when it has one', () => {
    expect(parentOrigin(url('&origin=https%3A%2F%2Fdocs.example'), undefined)).toBe('https://docs.example');
    expect(parentOrigin(url('&origin=https%3A%2F%2Fdocs.example'), 'https://docs.example')).toBe('https://docs.example');
    expect(parentOrigin(url('&origin=https%3A%2F%2Fdocs.example'), 'https://evil.example')).toBeNull();
  });
  it('falls back to the ancestor origin, and refuses what is not an http(s) origin', () => {
    expect(parentOrigin(url(''), 'https://docs.example')).toBe('https://docs.example');
    expect(parentOrigin(url(''), 'null')).toBeNull();
    expect(parentOrigin(url(''), undefined)).toBeNull();
    expect(parentOrigin(url('&origin=https%3A%2F%2Fdocs.example%2Fpath'), undefined)).toBeNull();
    expect(parentOrigin(url('&origin=javascript%3Aalert(1)'), undefined)).toBeNull();
    expect(parentOrigin(url('&origin=*'), undefined)).toBeNull();
  });
});
