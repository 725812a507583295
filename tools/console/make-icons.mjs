// Writes the console's app icons (apps/console/src/assets/icons/*.png) from the anchor of
// favicon.svg, drawn with distance functions and 4×4 supersampling, encoded with node:zlib (no
// image tool needed). Maskable icons are full-bleed with the anchor inside the 80 % safe zone.
// Run: node tools/console/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [0x00, 0x5c, 0xbb];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const segment = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};
/** Whether (x, y), in the favicon's 64-unit square, is on the white anchor. */
function anchor(x, y) {
  if (segment(x, y, 32, 14, 32, 48) <= 2.5) return true;
  if (segment(x, y, 24, 20, 40, 20) <= 2.5) return true;
  if (Math.abs(Math.hypot(x - 32, y - 14) - 4) <= 2) return true;
  // The lower arc: "M16 36c0 8 7 13 16 13s16-5 16-13", close to half an ellipse.
  if (y >= 36) {
    const e = Math.hypot((x - 32) / 16, (y - 36) / 13);
    if (Math.abs(e - 1) * 14 <= 2.5) return true;
  }
  return false;
}
function render(size, { maskable }) {
  const scale = maskable ? 0.7 : 1; // the anchor inside the maskable safe zone
  const radius = maskable ? 0 : 14 / 64;
  return png(size, (px, py) => {
    let ink = 0,
      fill = 0;
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const u = (px + (sx + 0.5) / 4) / size,
          v = (py + (sy + 0.5) / 4) / size;
        const cx = Math.max(radius - u, 0, u - (1 - radius)),
          cy = Math.max(radius - v, 0, v - (1 - radius));
        if (radius > 0 && Math.hypot(cx, cy) > radius) continue;
        fill++;
        const x = 32 + ((u - 0.5) * 64) / scale,
          y = 32 + ((v - 0.5) * 64) / scale;
        if (anchor(x, y)) ink++;
      }
    if (fill === 0) return [0, 0, 0, 0];
    const t = ink / fill;
    const c = BLUE.map((b, i) => Math.round(b + (WHITE[i] - b) * t));
    return [...c, Math.round((255 * fill) / 16)];
  });
}

const dir = new URL('../../apps/console/src/assets/icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const size of [192, 512]) {
  writeFileSync(new URL(`icon-${size}.png`, dir), render(size, { maskable: false }));
  writeFileSync(new URL(`maskable-${size}.png`, dir), render(size, { maskable: true }));
}
