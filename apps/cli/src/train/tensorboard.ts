import { Writer } from 'protobufjs/minimal';

/**
 * A minimal TensorBoard event-file writer (no TensorFlow): a file of TFRecords, each
 * `uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)` (little endian),
 * where data is a serialized `tensorflow.Event` proto: `wall_time` (1, double), `step` (2, int64),
 * `file_version` (3, string) or `summary` (5) with `Summary.value` (1) entries of `tag` (1, string)
 * and `simple_value` (2, float). TensorBoard's scalar dashboard reads exactly these.
 */

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (CRC32C_TABLE[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function tfRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, Buffer.from(data), footer]);
}

export function fileVersionEvent(wallTime: number): Uint8Array {
  return Writer.create()
    .uint32((1 << 3) | 1)
    .double(wallTime)
    .uint32((3 << 3) | 2)
    .string('brain.Event:2')
    .finish();
}

export function scalarsEvent(wallTime: number, step: number, scalars: Record<string, number>): Uint8Array {
  const w = Writer.create()
    .uint32((1 << 3) | 1)
    .double(wallTime)
    .uint32((2 << 3) | 0)
    .int64(step);
  const summary = Writer.create();
  for (const [tag, value] of Object.entries(scalars)) {
    if (!Number.isFinite(value)) continue;
    const v = Writer.create()
      .uint32((1 << 3) | 2)
      .string(tag)
      .uint32((2 << 3) | 5)
      .float(value)
      .finish();
    summary.uint32((1 << 3) | 2).bytes(v);
  }
  return w
    .uint32((5 << 3) | 2)
    .bytes(summary.finish())
    .finish();
}

/** The whole event file for these steps (deterministic: rewriting it only ever appends). */
export function eventFile(steps: readonly { step: number; time: number; metrics: Record<string, number> }[]): Buffer {
  const start = steps[0]?.time ?? 0;
  const records = [tfRecord(fileVersionEvent(start / 1000))];
  for (const s of steps) records.push(tfRecord(scalarsEvent(s.time / 1000, s.step, prefixTags(s.metrics))));
  return Buffer.concat(records);
}

/** Groups tags the way TensorBoard shows them: reward/*, rollout/*, learner/*, batch/*. */
function prefixTags(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) {
    const group = /^(reward|diversity|answer|correctness|released)/.test(k)
      ? 'reward'
      : /^(loss|surrogate|kl|clippedFraction|gradNorm|lr|learner)/.test(k)
        ? 'learner'
        : k.startsWith('batch')
          ? 'batch'
          : 'rollout';
    out[`${group}/${k}`] = v;
  }
  return out;
}
