// Named capture recipes: the built-in ones (DEFAULT_RECIPES, read-only) plus the user's own,
// kept in recipes.json in the settings folder (atomic writes).
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CaptureRecipe, CaptureSpec } from '../../../core/contract/live';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../atomic-file';
import { LiveError } from '../targets/errors';
import { DEFAULT_RECIPES, validateSteps } from './recipes';

export const RECIPES_FILE = 'recipes.json';
const MAX_RECIPES = 100;

interface StoredRecipe {
  id: string;
  name: string;
  steps: CaptureSpec[];
}

const BUILT_IN: CaptureRecipe[] = DEFAULT_RECIPES.map((r) => ({
  id: r.id,
  name: r.name,
  steps: r.steps.map((s) => ({ ...s })),
  builtIn: true,
}));

function cleanSpec(s: CaptureSpec): CaptureSpec {
  const out: CaptureSpec = { kind: s.kind };
  if (s.seconds !== undefined) out.seconds = s.seconds;
  if (s.gc) out.gc = true;
  return out;
}

export class RecipeStore {
  private recipes: StoredRecipe[] = [];
  /** Why recipes.json was ignored, if it was (shown to the user by the caller). */
  loadProblem: string | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly settingsDir: string) {}

  static async open(settingsDir: string): Promise<RecipeStore> {
    const s = new RecipeStore(settingsDir);
    await s.load();
    return s;
  }

  get file(): string {
    return join(this.settingsDir, RECIPES_FILE);
  }

  /** Built-in recipes first, then the user's in the order they were created. */
  list(): CaptureRecipe[] {
    return [
      ...BUILT_IN.map((r) => ({ ...r, steps: r.steps.map(cleanSpec) })),
      ...this.recipes.map((r) => ({ ...r, steps: r.steps.map(cleanSpec), builtIn: false })),
    ];
  }

  get(id: string): CaptureRecipe {
    const r = this.list().find((x) => x.id === id);
    if (!r) throw new LiveError('not-found', `no capture recipe with id ${id}`);
    return r;
  }

  async save(input: { id?: string; name: string; steps: CaptureSpec[] }): Promise<CaptureRecipe> {
    const name = input.name.trim();
    if (!name) throw new LiveError('config', 'a recipe needs a name');
    const steps = input.steps.map(cleanSpec);
    validateSteps(steps);
    if (input.id !== undefined && BUILT_IN.some((b) => b.id === input.id))
      throw new LiveError(
        'config',
        'built-in recipes cannot be changed: save a copy under a new name instead',
      );
    let recipe: StoredRecipe;
    if (input.id !== undefined) {
      const i = this.recipes.findIndex((r) => r.id === input.id);
      if (i < 0) throw new LiveError('not-found', `no capture recipe with id ${input.id}`);
      recipe = { id: input.id, name, steps };
      this.recipes[i] = recipe;
    } else {
      if (this.recipes.length >= MAX_RECIPES)
        throw new LiveError('config', `at most ${MAX_RECIPES} recipes: delete one first`);
      recipe = { id: randomUUID(), name, steps };
      this.recipes.push(recipe);
    }
    await this.persist();
    return { ...recipe, builtIn: false };
  }

  async remove(id: string): Promise<void> {
    if (BUILT_IN.some((b) => b.id === id))
      throw new LiveError('config', 'built-in recipes cannot be deleted');
    const i = this.recipes.findIndex((r) => r.id === id);
    if (i < 0) throw new LiveError('not-found', `no capture recipe with id ${id}`);
    this.recipes.splice(i, 1);
    await this.persist();
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.loadProblem = `${this.file} could not be read: ${(err as Error).message}`;
      return;
    }
    let parsed: { recipes?: unknown };
    try {
      parsed = JSON.parse(text) as { recipes?: unknown };
    } catch {
      this.loadProblem = `${this.file} is not valid JSON; its recipes were not loaded`;
      return;
    }
    if (!Array.isArray(parsed.recipes)) {
      this.loadProblem = `${this.file} has no recipes list; nothing was loaded`;
      return;
    }
    for (const raw of parsed.recipes as Partial<StoredRecipe>[]) {
      // Skip (never crash on) an entry edited into something invalid by hand.
      if (typeof raw?.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(raw.id)) continue;
      if (typeof raw.name !== 'string' || !raw.name.trim() || !Array.isArray(raw.steps)) continue;
      try {
        const steps = raw.steps.map(cleanSpec);
        validateSteps(steps);
        this.recipes.push({ id: raw.id, name: raw.name.trim().slice(0, 256), steps });
      } catch {
        continue;
      }
      if (this.recipes.length >= MAX_RECIPES) break;
    }
  }

  private persist(): Promise<void> {
    const text = `${JSON.stringify({ version: 1, recipes: this.recipes }, null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.file, text, PRIVATE_FILE_MODE));
    return this.writing;
  }
}
