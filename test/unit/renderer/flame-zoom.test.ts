// The flame zoom composable (renderer/src/composables/useFlameZoom): a click's late answer
// from the Worker never undoes an Esc or a later zoom (the race the Flame, Contention and
// Blocking-profile views share), and every window it holds is inside the graph.
import { describe, expect, it } from 'vitest';
import { useFlameZoom, type ZoomAnswer } from '../../../renderer/src/composables/useFlameZoom';

/** A Worker whose `node` answers arrive only when the test says so. */
function lateWorker() {
  const pending: Array<{ node: number; resolve: (a: ZoomAnswer<string> | null) => void }> = [];
  return {
    pending,
    answer: (node: number) =>
      new Promise<ZoomAnswer<string> | null>((resolve) => pending.push({ node, resolve })),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('useFlameZoom', () => {
  it('a late node answer does not undo Esc', async () => {
    const w = lateWorker();
    const z = useFlameZoom<string>({ full: () => ({ x0: 0, x1: 100 }), answer: w.answer });
    const done = z.activate({ node: 7, merged: false, x: 10, width: 20 });
    expect(z.window.value).toEqual({ x0: 10, x1: 30 });
    z.reset(); // Esc before the Worker answered
    w.pending[0].resolve({ window: { x0: 10, x1: 30 }, path: ['main', 'f'] });
    await done;
    expect(z.window.value).toEqual({ x0: 0, x1: 100 });
    expect(z.path.value).toEqual([]);
    expect(z.zoomed.value).toBe(false);
  });

  it('a late answer does not undo a later zoom; the latest answer applies', async () => {
    const w = lateWorker();
    const z = useFlameZoom<string>({ full: () => ({ x0: 0, x1: 100 }), answer: w.answer });
    const first = z.toNode(3);
    const second = z.activate({ node: 4, merged: false, x: 50, width: 10 });
    w.pending[1].resolve({ window: { x0: 50, x1: 60 }, path: ['g'] });
    w.pending[0].resolve({ window: { x0: 0, x1: 40 }, path: ['f'] });
    await Promise.all([first, second]);
    expect(z.window.value).toEqual({ x0: 50, x1: 60 });
    expect(z.path.value).toEqual(['g']);
  });

  it('a wheel zoom made while the answer is on its way wins', async () => {
    const w = lateWorker();
    const z = useFlameZoom<string>({ full: () => ({ x0: 0, x1: 100 }), answer: w.answer });
    const done = z.toNode(3);
    z.set({ x0: 5, x1: 15 });
    w.pending[0].resolve({ window: { x0: 0, x1: 40 }, path: ['f'] });
    await done;
    expect(z.window.value).toEqual({ x0: 5, x1: 15 });
  });

  it('applies an answer that is still the latest, with its path', async () => {
    const w = lateWorker();
    const z = useFlameZoom<string>({ full: () => ({ x0: 0, x1: 100 }), answer: w.answer });
    const done = z.activate({ node: 2, merged: false, x: 20, width: 30 });
    await tick();
    w.pending[0].resolve({ window: { x0: 20, x1: 50 }, path: ['a', 'b'] });
    await done;
    expect(z.window.value).toEqual({ x0: 20, x1: 50 });
    expect(z.path.value).toEqual(['a', 'b']);
    expect(z.narrow.value).toBe(false);
    expect(z.zoomed.value).toBe(true);
  });

  it('clamps every window to the graph and needs no Worker for merged runs or the root', async () => {
    const w = lateWorker();
    const z = useFlameZoom<string>({ full: () => ({ x0: 0, x1: 100 }), answer: w.answer });
    z.set({ x0: -50, x1: 400 });
    expect(z.window.value).toEqual({ x0: 0, x1: 100 });
    z.set({ x0: 90, x1: 120 });
    expect(z.window.value).toEqual({ x0: 70, x1: 100 });
    await z.activate({ node: -1, merged: true, x: 40, width: 2 });
    expect(z.window.value).toEqual({ x0: 40, x1: 42 });
    expect(z.narrow.value).toBe(true);
    await z.activate({ node: 0, merged: false, x: 0, width: 100 });
    expect(z.window.value).toEqual({ x0: 0, x1: 100 });
    expect(w.pending).toHaveLength(0);
  });

  it('a failed answer (tree replaced, profile closed) leaves the zoom as it is', async () => {
    const z = useFlameZoom<string>({
      full: () => ({ x0: 0, x1: 100 }),
      answer: () => Promise.reject(new Error('closed')),
    });
    await z.activate({ node: 5, merged: false, x: 10, width: 5 });
    expect(z.window.value).toEqual({ x0: 10, x1: 15 });
  });
});
