/**
 * Draws the two app icons into manifest/ (run with `npx tsx scripts/generate-icons.ts`). The PNGs are
 * committed; this script is how they were made, so a new look is a code change that can be reviewed.
 *
 * The glyph is a speech bubble with three dots: a conversation waiting for an agent.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];

/** Also the manifest's accentColor, so the tile around the icon matches it. */
export const BRAND: Rgb = [0x0f, 0x6c, 0xbd];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const SUBSAMPLES = 8;

/** Is the point (in glyph units, 0..1 both ways) inside the bubble, outside its dots? */
function inGlyph(u: number, v: number): boolean {
  const dots = [0.27, 0.5, 0.73].some((cx) => (u - cx) ** 2 + (v - 0.39) ** 2 <= 0.085 ** 2);
  if (dots) return false;
  return inRoundedRect(u, v, 0, 0, 1, 0.78, 0.2) || inTriangle(u, v, [0.18, 0.7], [0.42, 0.7], [0.12, 1]);
}

function inRoundedRect(u: number, v: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (u < x0 || u > x1 || v < y0 || v > y1) return false;
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

function inTriangle(u: number, v: number, a: [number, number], b: [number, number], c: [number, number]): boolean {
  const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (v - p[1]) - (q[1] - p[1]) * (u - p[0]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
}

/** Share of the pixel covered by the glyph placed at `box` (left, top, size in pixels): smooth edges. */
function coverage(px: number, py: number, box: { left: number; top: number; size: number }): number {
  let inside = 0;
  for (let sy = 0; sy < SUBSAMPLES; sy++) {
    for (let sx = 0; sx < SUBSAMPLES; sx++) {
      const u = (px + (sx + 0.5) / SUBSAMPLES - box.left) / box.size;
      const v = (py + (sy + 0.5) / SUBSAMPLES - box.top) / box.size;
      if (inGlyph(u, v)) inside++;
    }
  }
  return inside / (SUBSAMPLES * SUBSAMPLES);
}

/** 192×192, opaque: the white glyph on the brand colour, inside the centre 96 px as Teams asks. */
export function renderColorIcon(): Uint8Array {
  const size = 192;
  const box = { left: 48, top: 52, size: 96 };
  return rgba(size, (x, y) => {
    const c = coverage(x, y, box);
    const mix = (i: number) => Math.round(BRAND[i]! * (1 - c) + WHITE[i]! * c);
    return [mix(0), mix(1), mix(2), 255];
  });
}

/** 32×32: white only, the shape carried by the alpha channel, transparent everywhere else. */
export function renderOutlineIcon(): Uint8Array {
  const size = 32;
  const box = { left: 2, top: 3, size: 28 };
  return rgba(size, (x, y) => [255, 255, 255, Math.round(coverage(x, y, box) * 255)]);
}

function rgba(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) pixels.set(pixel(x, y), (y * size + x) * 4);
  }
  return encodePng(size, size, pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** 8-bit RGBA, no interlace, every scanline with filter 0: the simplest PNG every decoder reads. */
export function encodePng(width: number, height: number, pixels: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '../manifest');
  writeFileSync(path.join(dir, 'color.png'), renderColorIcon());
  writeFileSync(path.join(dir, 'outline.png'), renderOutlineIcon());
  process.stdout.write(`Wrote ${path.join(dir, 'color.png')} and ${path.join(dir, 'outline.png')}\n`);
}
