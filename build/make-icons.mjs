// Draws the app icon (an icicle graph on a rounded tile) and writes every size electron-builder
// needs: build/icon.png (1024), build/icons/NxN.png (Linux), build/icon.ico (Windows, PNG
// entries) and build/icon.icns (macOS). No image library: a tiny PNG encoder over node:zlib.
// Run: node build/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (h) => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
];
const TILE = hex('#1f2633');
// Icicle rows from the top: [start, end, colour] in tile units (0..1 across the bars' span).
const ROWS = [
  [[0, 1, '#e5533d']],
  [
    [0, 0.62, '#ee7b30'],
    [0.64, 1, '#f2a541'],
  ],
  [
    [0, 0.34, '#f2a541'],
    [0.36, 0.6, '#f6c453'],
    [0.64, 0.88, '#ee7b30'],
  ],
  [
    [0, 0.2, '#f6c453'],
    [0.22, 0.32, '#f2a541'],
    [0.64, 0.76, '#f6c453'],
  ],
];

/** Colour of the point (x, y) in unit coordinates, or null when transparent. */
function shade(x, y) {
  const r = 0.2; // corner radius
  const m = 0.04; // margin
  const inTile = (() => {
    if (x < m || x > 1 - m || y < m || y > 1 - m) return false;
    const cx = Math.min(Math.max(x, m + r), 1 - m - r);
    const cy = Math.min(Math.max(y, m + r), 1 - m - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  })();
  if (!inTile) return null;
  const left = 0.17;
  const width = 0.66;
  const top = 0.2;
  const rowH = 0.15;
  const gap = 0.025;
  const row = Math.floor((y - top) / rowH);
  if (row >= 0 && row < ROWS.length && (y - top) % rowH < rowH - gap) {
    const u = (x - left) / width;
    for (const [s, e, c] of ROWS[row]) if (u >= s && u <= e) return hex(c);
  }
  return TILE;
}

function render(size) {
  const ss = size <= 64 ? 6 : 3; // supersampling per axis, for smooth edges
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((255 * a) / (ss * ss));
    }
  }
  return png(size, out);
}

function ico(entries) {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, data], i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...entries.map(([, d]) => d)]);
}

function icns(entries) {
  const parts = entries.map(([type, data]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map(sizes.map((s) => [s, render(s)]));
mkdirSync(join(here, 'icons'), { recursive: true });
for (const s of sizes.filter((s) => s <= 512))
  writeFileSync(join(here, 'icons', `${s}x${s}.png`), pngs.get(s));
writeFileSync(join(here, 'icon.png'), pngs.get(1024));
writeFileSync(
  join(here, 'icon.ico'),
  ico([16, 24, 32, 48, 64, 128, 256].map((s) => [s, pngs.get(s)])),
);
writeFileSync(
  join(here, 'icon.icns'),
  icns([
    ['icp4', pngs.get(16)],
    ['icp5', pngs.get(32)],
    ['icp6', pngs.get(64)],
    ['ic07', pngs.get(128)],
    ['ic08', pngs.get(256)],
    ['ic09', pngs.get(512)],
    ['ic10', pngs.get(1024)],
  ]),
);
console.log(`icons written to ${here}: ${sizes.join(', ')} px, icon.ico, icon.icns`);
