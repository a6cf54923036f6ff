// Named capture recipes on disk (electron/services/capture/recipe-store.ts): built-ins first
// and read-only, the user's persisted, a hand-broken recipes.json never crashes the start.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECIPES_FILE, RecipeStore } from '../../../electron/services/capture/recipe-store';
import { LiveError } from '../../../electron/services/targets/errors';
import { tempDir } from './support';

describe('RecipeStore', () => {
  it('lists the built-ins, then saved recipes in order, and persists them', async () => {
    const dir = tempDir('recipes');
    const s = await RecipeStore.open(dir);
    const a = await s.save({
      name: '  mutex pair ',
      steps: [
        { kind: 'mutex', seconds: 10 },
        { kind: 'block', seconds: 10 },
      ],
    });
    const b = await s.save({ name: 'heap', steps: [{ kind: 'heap', gc: true }] });
    expect(a.name).toBe('mutex pair');
    expect(s.list().map((r) => r.id)).toEqual(['standard', 'latency', 'memory', a.id, b.id]);
    const again = await RecipeStore.open(dir);
    expect(again.get(b.id)).toEqual({
      id: b.id,
      name: 'heap',
      steps: [{ kind: 'heap', gc: true }],
      builtIn: false,
    });
    await again.remove(a.id);
    expect(JSON.parse(readFileSync(join(dir, RECIPES_FILE), 'utf8')).recipes).toHaveLength(1);
  });

  it('refuses to change or delete a built-in, and checks every step', async () => {
    const s = await RecipeStore.open(tempDir('recipes'));
    await expect(s.save({ id: 'standard', name: 'x', steps: [{ kind: 'heap' }] })).rejects.toThrow(
      /built-in/,
    );
    await expect(s.remove('memory')).rejects.toThrow(/built-in/);
    const e = await s
      .save({ name: 'bad', steps: [{ kind: 'goroutine-text', seconds: 5 }] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LiveError);
    expect((e as LiveError).kind).toBe('config');
    expect((e as LiveError).message).toMatch(/capture 1 of the recipe/);
    await expect(s.remove('nope')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('skips broken entries of a hand-edited file and reports an unreadable one', async () => {
    const dir = tempDir('recipes');
    writeFileSync(
      join(dir, RECIPES_FILE),
      JSON.stringify({
        version: 1,
        recipes: [
          { id: 'ok-1', name: 'fine', steps: [{ kind: 'allocs', seconds: 30 }] },
          { id: '../evil', name: 'bad id', steps: [{ kind: 'heap' }] },
          { id: 'x2', name: 'bad kind', steps: [{ kind: 'rm -rf' }] },
          null,
        ],
      }),
    );
    const s = await RecipeStore.open(dir);
    expect(
      s
        .list()
        .filter((r) => !r.builtIn)
        .map((r) => r.id),
    ).toEqual(['ok-1']);
    expect(s.loadProblem).toBeNull();
    writeFileSync(join(dir, RECIPES_FILE), '{torn');
    const t = await RecipeStore.open(dir);
    expect(t.list().every((r) => r.builtIn)).toBe(true);
    expect(t.loadProblem).toMatch(/not valid JSON/);
  });
});
