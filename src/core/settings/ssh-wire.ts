/**
 * Reader for the SSH wire encoding of public keys (RFC 4251 §5): uint32 big-endian,
 * `string` = uint32 length + bytes, `mpint` = a `string` holding a two's-complement big-endian
 * integer. Every read returns undefined when the data ends early, so a truncated key is a
 * validation problem, never an exception.
 */
export class SshWireReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  uint32(): number | undefined {
    if (this.remaining < 4) return undefined;
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  /** A `string` as raw bytes. */
  string(): Uint8Array | undefined {
    const length = this.uint32();
    if (length === undefined || length > this.remaining) return undefined;
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A `string` as ASCII text (key type and curve names). */
  text(): string | undefined {
    const value = this.string();
    return value && String.fromCharCode(...value);
  }

  /**
   * An `mpint` that must be positive: its magnitude without leading zero bytes, or undefined for
   * truncated, negative or zero values.
   */
  positiveMpint(): Uint8Array | undefined {
    const value = this.string();
    if (!value || value.length === 0 || value[0] & 0x80) return undefined;
    let start = 0;
    while (start < value.length && value[start] === 0) start++;
    return start === value.length ? undefined : value.subarray(start);
  }
}

/** Number of significant bits in a big-endian magnitude without leading zero bytes. */
export function bitLength(magnitude: Uint8Array): number {
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]));
}
