// The flame graph's rect pixels (core/view/flame/raster), which the profile Worker makes for the
// UI: colours per bucket, dimming during a search, stripes on inlined frames, whole-pixel
// geometry with a 1 px gap, flipping, device pixel ratio, and the items worth a label. Then
// the profile and compare sessions' rasterized LOD answers on real profiles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FLAG_INLINED,
  FLAG_MATCH,
  FLAG_MERGED,
  MERGED_COLOR,
} from '../../../../core/pprof/flamegraph';
import {
  MIN_LABEL_PX,
  PALETTE_SIZE,
  paletteArrays,
  rasterRects,
  rasterSize,
  type RasterItems,
  type RasterPalette,
  type RasterRequest,
  type RasterView,
} from '../../../../core/view/flame/raster';
import { CompareSession } from '../../../../renderer/src/worker/compare-session';
import { engine } from '../../../../renderer/src/worker/engine';
import { NO_FILTERS, type LodPayload } from '../../../../renderer/src/worker/protocol';
import { ProfileSession } from '../../../../renderer/src/worker/session';

// Distinct words per bucket and variant, so every pixel says what painted it.
const n = PALETTE_SIZE + 2;
const pal: RasterPalette = {
  background: 0xff000000,
  plain: Array.from({ length: n }, (_, b) => 0xff000100 + b),
  dim: Array.from({ length: n }, (_, b) => 0xff000200 + b),
  striped: Array.from({ length: n }, (_, b) => 0xff000300 + b),
  dimStriped: Array.from({ length: n }, (_, b) => 0xff000400 + b),
};

/** Items of rows d0.. given as [x, width, node, color, flags] per row. */
function items(d0: number, rows: Array<Array<[number, number, number, number, number]>>) {
  const flat = rows.flat();
  const rowStart = new Uint32Array(rows.length + 1);
  rows.forEach((r, i) => (rowStart[i + 1] = rowStart[i] + r.length));
  const out: RasterItems = {
    length: flat.length,
    x: Float64Array.from(flat, (f) => f[0]),
    width: Float64Array.from(flat, (f) => f[1]),
    node: Int32Array.from(flat, (f) => f[2]),
    color: Uint16Array.from(flat, (f) => f[3]),
    flags: Uint8Array.from(flat, (f) => f[4]),
    rowStart,
    d0,
  };
  return out;
}

const view = (extra: Partial<RasterView> = {}): RasterView => ({
  x0: 0,
  x1: 1000,
  width: 100,
  height: 40,
  dpr: 1,
  rowH: 10,
  top: 0,
  flip: false,
  searchActive: false,
  ...extra,
});

function raster(it: RasterItems, v: RasterView) {
  const { w, h } = rasterSize(v);
  const px = new Uint32Array(w * h);
  const out = rasterRects(px, w, h, it, v, pal);
  const at = (x: number, y: number): number => px[y * w + x];
  return { ...out, px, w, h, at };
}

describe('rasterRects', () => {
  // Row 0: the root; row 1: a plain frame over [0, 400), an inlined one over [400, 700) and
  // a merged run of narrow frames at [700, 702) widened to one pixel.
  const two = items(0, [
    [[0, 1000, 0, 3, 0]],
    [
      [0, 400, 1, 5, FLAG_MATCH],
      [400, 300, 2, 7, FLAG_INLINED],
      [700, 10, -1, MERGED_COLOR, FLAG_MERGED],
    ],
  ]);

  it('paints each item in its bucket, whole pixels with a 1 px gap, rows rowH - 1 tall', () => {
    const r = raster(two, view());
    expect(r.rects).toBe(4);
    // The root spans the width (its last pixel is the gap), rows 0..8 of the 10 px row.
    expect(r.at(0, 0)).toBe(pal.plain[PALETTE_SIZE + 1]);
    expect(r.at(98, 8)).toBe(pal.plain[PALETTE_SIZE + 1]);
    expect(r.at(99, 0)).toBe(pal.background);
    expect(r.at(50, 9)).toBe(pal.background);
    // Frame 1: x 0..39 painted, 39 the gap.
    expect(r.at(0, 10)).toBe(pal.plain[5]);
    expect(r.at(38, 18)).toBe(pal.plain[5]);
    expect(r.at(39, 10)).toBe(pal.background);
    // The merged run: one pixel at x 70.
    expect(r.at(70, 12)).toBe(pal.plain[PALETTE_SIZE]);
    expect(r.at(71, 12)).toBe(pal.background);
    // Below the rows: background.
    expect(r.at(10, 30)).toBe(pal.background);
  });

  it('stripes inlined frames diagonally over their fill', () => {
    const r = raster(two, view());
    const row = new Set<number>();
    for (let x = 40; x < 69; x++) row.add(r.at(x, 12));
    expect(row).toEqual(new Set([pal.plain[7], pal.striped[7]]));
    // Diagonal, every 6 px, 2 px thick (dpr 1): pixel (x, y) is striped when (x + y) % 6 < 2
    // (a stripe starts inside the frame, so its first column may be plain).
    let wrong = 0;
    for (let y = 10; y < 19; y++) {
      for (let x = 41; x < 69; x++) {
        const want = (x + y) % 6 < 2 ? pal.striped[7] : pal.plain[7];
        if (r.at(x, y) !== want) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });

  it('dims what does not match while a search is active', () => {
    const r = raster(two, view({ searchActive: true }));
    expect(r.at(5, 12)).toBe(pal.plain[5]);
    expect(r.at(0, 0)).toBe(pal.dim[PALETTE_SIZE + 1]);
    expect(r.at(70, 12)).toBe(pal.dim[PALETTE_SIZE]);
    const row = new Set<number>();
    for (let x = 40; x < 69; x++) row.add(r.at(x, 12));
    expect(row).toEqual(new Set([pal.dim[7], pal.dimStriped[7]]));
  });

  it('lists the items wide enough for a label, and only in visible rows', () => {
    const r = raster(two, view());
    expect(Array.from(r.labels)).toEqual(
      [0, 1, 2].filter((i) => two.width[i] / 10 >= MIN_LABEL_PX),
    );
    // Scrolled so that row 0 is out of view: the root is neither drawn nor labelled.
    const s = raster(two, view({ top: 1, height: 10 }));
    expect(Array.from(s.labels)).not.toContain(0);
    expect(s.at(0, 0)).toBe(pal.plain[5]);
  });

  it('flips rows for the callers view and scales by the device pixel ratio', () => {
    const f = raster(two, view({ flip: true }));
    // Height 40, row 0 at the bottom: y 30..38.
    expect(f.at(0, 38)).toBe(pal.plain[PALETTE_SIZE + 1]);
    expect(f.at(0, 20)).toBe(pal.plain[5]);
    expect(f.at(0, 0)).toBe(pal.background);
    const d = raster(two, view({ dpr: 2 }));
    expect([d.w, d.h]).toEqual([200, 80]);
    expect(d.at(77, 20)).toBe(pal.plain[5]);
    expect(d.at(78, 20)).toBe(pal.background);
    expect(d.at(0, 17)).toBe(pal.plain[PALETTE_SIZE + 1]);
    expect(d.at(0, 18)).toBe(pal.background);
  });

  it('paints only the background for an empty window', () => {
    const r = raster(two, view({ x0: 5, x1: 5 }));
    expect(r.rects).toBe(0);
    expect(r.px.every((p) => p === pal.background)).toBe(true);
  });
});

/** The view the sessions' answers are asked to be rasterized for. */
const rasterReq: RasterRequest = {
  width: 300,
  height: 200,
  dpr: 1,
  rowH: 18,
  top: 0,
  flip: false,
  paletteKey: 'test',
  palette: paletteArrays(pal),
};

/** A session's pixels equal rasterizing its answer here; returns the rect count. */
function expectRasterOf(lod: LodPayload, win: { x0: number; x1: number }): number {
  const r = lod.raster!;
  expect(r).toBeDefined();
  expect(r.view).toMatchObject({ ...win, width: 300, top: 0, searchActive: false });
  expect([r.w, r.h, r.pixels.length]).toEqual([300, 200, 300 * 200 * 4]);
  const px = new Uint32Array(300 * 200);
  const here = rasterRects(px, 300, 200, lod, { ...rasterReq, ...win, searchActive: false }, pal);
  expect(new Uint32Array(r.pixels.buffer)).toEqual(px);
  expect(r.rects).toBe(here.rects);
  expect(Array.from(r.labels)).toEqual(Array.from(here.labels));
  return r.rects;
}

describe('ProfileSession rasterized LOD answers', () => {
  const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');
  const s = new ProfileSession(
    engine,
    new Uint8Array(readFileSync(join(FIXTURES, 'before/cpu.pb.gz'))),
  );
  const t = s.tree('main', {
    sampleIndex: 1,
    granularity: 'functions',
    filters: { ...NO_FILTERS },
  });
  const req = { slot: 'main' as const, x0: 0, x1: t.total, pixels: 300, d0: 0, d1: 12 };

  it('attaches the pixels of the asked view, equal to rasterizing the answer here', () => {
    const lod = s.lod({ ...req, raster: rasterReq });
    expect(expectRasterOf(lod, { x0: 0, x1: t.total })).toBeGreaterThan(10);
    // Without a raster request, none; with a huge area, none either (the UI draws it).
    expect(s.lod(req).raster).toBeUndefined();
    const huge = s.lod({ ...req, raster: { ...rasterReq, width: 5000, height: 4000 } });
    expect(huge.raster).toBeUndefined();
    expect(huge.length).toBe(s.lod(req).length);
  });

  it('dims by the session’s search', () => {
    s.setSearch('runtime');
    const lod = s.lod({ ...req, raster: rasterReq });
    expect(lod.raster!.view.searchActive).toBe(true);
    const words = new Set(new Uint32Array(lod.raster!.pixels.buffer));
    expect([...words].some((w) => Array.from(pal.dim).includes(w))).toBe(true);
    s.setSearch('');
    expect(s.lod({ ...req, raster: rasterReq }).raster!.view.searchActive).toBe(false);
  });
});

describe('CompareSession rasterized LOD answers (the Compare panes)', () => {
  const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');
  const bytes = (side: string) => {
    const b = readFileSync(join(FIXTURES, side, 'cpu.pb.gz'));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  const s = new CompareSession(
    bytes('before'),
    bytes('after'),
    { name: 'before', kind: 'cpu' },
    { name: 'after', kind: 'cpu' },
  );
  const t = s.build({
    sampleType: 'cpu',
    granularity: 'functions',
    filters: { ...NO_FILTERS },
    normalization: 'absolute',
    matching: 'exact',
    pivot: '',
  });
  it('attaches, per pane, the pixels of the asked view, equal to rasterizing the answer here', () => {
    for (const pane of ['before', 'after', 'diff'] as const) {
      const req = { pane, ...t.windows[pane], pixels: 300, d0: 0, d1: 12 };
      const lod = s.lod({ ...req, raster: rasterReq });
      expect(expectRasterOf(lod, t.windows[pane]), pane).toBeGreaterThan(5);
      expect(s.lod(req).raster).toBeUndefined();
    }
  });

  it('dims by the comparison’s search', () => {
    s.setSearch('runtime');
    const lod = s.lod({
      pane: 'after',
      ...t.windows.after,
      pixels: 300,
      d0: 0,
      d1: 10,
      raster: rasterReq,
    });
    expect(lod.raster!.view.searchActive).toBe(true);
    const words = new Set(new Uint32Array(lod.raster!.pixels.buffer));
    expect([...words].some((w) => Array.from(pal.dim).includes(w))).toBe(true);
    s.setSearch('');
  });
});
