/**
 * WireGuard key generation in the browser. WebCrypto's X25519 where the browser has it; otherwise
 * 32 random bytes clamped as RFC 7748 §5 says, which is exactly what `wg genkey` prints. The key
 * never leaves the page (it is not logged, stored or put in a URL).
 */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64UrlToBase64(text: string): string {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
}

export async function generateWireguardPrivateKey(crypto: Crypto = globalThis.crypto): Promise<string> {
  try {
    const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    if (jwk.d) return base64UrlToBase64(jwk.d);
  } catch {
    // No X25519 in this browser's WebCrypto: fall through to random bytes.
  }
  const key = crypto.getRandomValues(new Uint8Array(32));
  key[0] &= 248;
  key[31] = (key[31] & 127) | 64;
  return toBase64(key);
}
