/**
 * Tiny zip writer for unit tests (APPNOTE 4.3): deflate or stored members, with or without a data
 * descriptor. Only what the tests need; interop tests use Info-ZIP's zip for real archives.
 */
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/core/bytes/crc32.ts';

export interface ZipMemberSpec {
  name: string;
  data: Uint8Array;
  method?: 0 | 8;
  /** Write sizes and CRC in a signed data descriptor instead of the local header. */
  descriptor?: boolean;
}

export interface BuiltZip {
  bytes: Uint8Array;
  /** Per member: local header offset, data offset, compressed length. */
  members: { name: string; offset: number; dataStart: number; compressedSize: number }[];
  cdOffset: number;
}

export function makeZip(specs: readonly ZipMemberSpec[], comment = ''): BuiltZip {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const members: BuiltZip['members'] = [];
  let pos = 0;
  for (const m of specs) {
    const method = m.method ?? 8;
    const data = method === 8 ? deflateRawSync(m.data, { level: 6 }) : Buffer.from(m.data);
    const crc = crc32(m.data);
    const name = Buffer.from(m.name);
    const flags = m.descriptor ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (!m.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(m.data.length, 22);
    }
    local.writeUInt16LE(name.length, 26);
    members.push({ name: m.name, offset: pos, dataStart: pos + 30 + name.length, compressedSize: data.length });
    const record = [local, name, data];
    if (m.descriptor) {
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(crc, 4);
      d.writeUInt32LE(data.length, 8);
      d.writeUInt32LE(m.data.length, 12);
      record.push(d);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(m.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(pos, 42);
    central.push(c, name);
    for (const r of record) {
      parts.push(r);
      pos += r.length;
    }
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(pos, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  const bytes = new Uint8Array(Buffer.concat([...parts, cd, end, Buffer.from(comment)]));
  return { bytes, members, cdOffset: pos };
}
