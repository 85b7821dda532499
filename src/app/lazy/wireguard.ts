// Loaded with import(): the X25519 arithmetic that turns a WireGuard private key into its public key.
export { wireguardPublicKey } from '#core/index.ts';
