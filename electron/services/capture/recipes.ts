// Capture recipes: a named set of captures with identical settings, run as one group. Every
// snapshot of a run carries the same group id and name and a step key, so a "before" run
// and an "after" run of the same recipe pair up kind by kind.
import { randomUUID } from 'node:crypto';
import { asLiveError, type LiveErrorInfo } from '../targets/errors';
import type { CaptureOutcome, CaptureService, CaptureTarget } from './capture-service';
import { planCapture, type CaptureSpec } from './kinds';

export interface CaptureRecipe {
  id: string;
  name: string;
  steps: CaptureSpec[];
}

export const DEFAULT_RECIPES: CaptureRecipe[] = [
  {
    id: 'standard',
    name: 'Standard set (CPU 30 s, heap, allocs delta 30 s, goroutine, mutex, block)',
    steps: [
      { kind: 'cpu', seconds: 30 },
      { kind: 'heap' },
      { kind: 'allocs', seconds: 30 },
      { kind: 'goroutine' },
      { kind: 'mutex' },
      { kind: 'block' },
    ],
  },
  {
    id: 'latency',
    name: 'Latency (CPU 10 s, mutex and block deltas 10 s, goroutine dump, trace 2 s)',
    steps: [
      { kind: 'cpu', seconds: 10 },
      { kind: 'mutex', seconds: 10 },
      { kind: 'block', seconds: 10 },
      { kind: 'goroutine-text' },
      { kind: 'trace', seconds: 2 },
    ],
  },
  {
    id: 'memory',
    name: 'Memory (heap after GC, allocs delta 30 s, heap delta 30 s)',
    steps: [
      { kind: 'heap', gc: true },
      { kind: 'allocs', seconds: 30 },
      { kind: 'heap', seconds: 30 },
    ],
  },
];

/** Identifies a step's settings: 'cpu:30s', 'allocs:delta30s', 'heap:gc', 'goroutine-text'. */
export function stepKey(spec: CaptureSpec): string {
  const plan = planCapture(spec);
  if (plan.kind === 'cpu' || plan.kind === 'trace') return `${plan.kind}:${plan.durationSeconds}s`;
  if (plan.delta) return `${plan.kind}:delta${plan.durationSeconds}s`;
  return plan.gc ? `${plan.kind}:gc` : plan.kind;
}

/** Checks every step (throws a 'config' LiveError naming the bad one). */
export function validateSteps(steps: CaptureSpec[]): void {
  if (steps.length === 0)
    throw asLiveError(new Error('a recipe needs at least one capture'), 'config');
  const seen = new Set<string>();
  steps.forEach((s, i) => {
    let key: string;
    try {
      key = stepKey(s);
    } catch (err) {
      throw asLiveError(
        new Error(`capture ${i + 1} of the recipe: ${(err as Error).message}`),
        'config',
      );
    }
    if (seen.has(key))
      throw asLiveError(
        new Error(`capture ${i + 1} repeats ${key}: each capture of a recipe must differ`),
        'config',
      );
    seen.add(key);
  });
}

export interface RecipeStepResult {
  stepKey: string;
  captureId: string;
  snapshotId: string | null;
  error: LiveErrorInfo | null;
}

export interface RecipeRun {
  groupId: string;
  group: string;
  captureIds: string[];
  /** Settles when every capture finished; failures are per step, never a rejection. */
  done: Promise<RecipeStepResult[]>;
}

/** Starts every step at once; the per-target limit (and one CPU/trace at a time) paces them. */
export function runRecipe(
  service: CaptureService,
  target: CaptureTarget,
  steps: CaptureSpec[],
  group: string,
): RecipeRun {
  validateSteps(steps);
  const groupId = randomUUID();
  const started = steps.map((spec) => {
    const key = stepKey(spec);
    const { captureId, done } = service.start(target, { ...spec, groupId, group, stepKey: key });
    return { key, captureId, done };
  });
  const done = Promise.all(
    started.map(({ key, captureId, done: d }) =>
      d.then(
        (o: CaptureOutcome): RecipeStepResult => ({
          stepKey: key,
          captureId,
          snapshotId: o.snapshotId,
          error: null,
        }),
        (err: unknown): RecipeStepResult => ({
          stepKey: key,
          captureId,
          snapshotId: null,
          error: asLiveError(err).toInfo(),
        }),
      ),
    ),
  );
  return { groupId, group, captureIds: started.map((s) => s.captureId), done };
}

/** Cancels every capture of a run. */
export function cancelRecipe(service: CaptureService, run: Pick<RecipeRun, 'captureIds'>): void {
  for (const id of run.captureIds) service.cancel(id);
}

// Pairing two runs step by step is pure library logic, shared with the renderer's Compare.
export { pairByStep, type StepPair } from '../../../core/library/runs';
