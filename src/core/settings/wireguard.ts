/**
 * `vpn.wireguard`: a WireGuard interface for NetworkManager (type=wireguard). Keys are base64 of
 * exactly 32 bytes (Curve25519 keys and the optional preshared key, as `wg genkey`, `wg pubkey`
 * and `wg genpsk` print them).
 */
import { tryBase64Decode } from '../bytes/base64.ts';
import { endpointProblem } from './endpoint.ts';
import { cidrProblem, ipAddressProblem } from './ip.ts';
import { Issues, indexPath, keyPath } from './issues.ts';
import { arrayField, checkObject, integerField, isPlainObject, stringField, str, type FieldCheck, type Fields } from './shape.ts';
import type { VpnSettings, WireguardPeer, WireguardSettings } from './types.ts';

export function wireguardKeyProblem(text: string): string | undefined {
  const bytes = tryBase64Decode(text);
  if (!bytes) return 'is not a WireGuard key (base64 of 32 bytes, as printed by "wg genkey" or "wg pubkey")';
  if (bytes.length !== 32) return `decodes to ${bytes.length} bytes; a WireGuard key is 32 bytes`;
  return undefined;
}

const keyField = stringField(wireguardKeyProblem);

const peerFields: Fields<WireguardPeer> = {
  publicKey: keyField,
  endpoint: stringField(endpointProblem),
  allowedIps: arrayField(stringField(cidrProblem)),
  presharedKey: keyField,
  persistentKeepalive: integerField(0, 65535, ' seconds'),
};

const checkPeer: FieldCheck = (value, path, issues) => checkObject(value, path, issues, peerFields, ['publicKey', 'allowedIps']);

const wireguardFields: Fields<WireguardSettings> = {
  privateKey: keyField,
  addresses: arrayField(stringField(cidrProblem), { nonEmpty: true }),
  dns: arrayField(stringField(ipAddressProblem)),
  peers: arrayField(checkPeer, { nonEmpty: true }),
};

/** Peers are told apart by public key: two with the same key is a paste mistake. */
function checkPeerKeys(privateKey: string | undefined, peers: unknown, path: string, issues: Issues): void {
  if (!Array.isArray(peers)) return;
  const seen = new Map<string, number>();
  peers.forEach((peer, i) => {
    const key = isPlainObject(peer) ? str(peer.publicKey) : undefined;
    if (key === undefined) return;
    const peerKeyPath = keyPath(indexPath(keyPath(path, 'peers'), i), 'publicKey');
    if (key === privateKey) issues.add(peerKeyPath, `is this device's private key; paste the peer's public key`);
    const first = seen.get(key);
    if (first !== undefined) issues.add(peerKeyPath, `same key as ${keyPath(indexPath(keyPath(path, 'peers'), first), 'publicKey')}`);
    else seen.set(key, i);
  });
}

const checkWireguard: FieldCheck = (value, path, issues) => {
  const wg = checkObject(value, path, issues, wireguardFields, ['privateKey', 'addresses', 'peers']);
  if (wg) checkPeerKeys(str(wg.privateKey), wg.peers, path, issues);
};

const vpnFields: Fields<VpnSettings> = { wireguard: checkWireguard };

export const checkVpn: FieldCheck = (value, path, issues) => checkObject(value, path, issues, vpnFields);
