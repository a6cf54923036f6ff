// The transport-independent edge: validate the request, run the back end, validate the
// response, and turn every failure into an error value.
import type { Backend } from './api';
import { isOperationName, operations } from './operations';
import { err, ok, toApiError, type Result } from './result';
import { describeProblems, type Validator } from './validate';

export async function dispatch(
  backend: Backend,
  name: string,
  raw: unknown,
): Promise<Result<unknown>> {
  if (!isOperationName(name)) return err('invalid-request', `unknown operation '${name}'`);
  const spec = operations[name];
  const req = (spec.request as Validator<unknown>).check(raw ?? {}, '');
  if (!req.ok) return err('invalid-request', `${name}: ${describeProblems(req.problems)}`);
  let value: unknown;
  try {
    const fn = backend[name] as (r: unknown) => Promise<unknown>;
    value = await fn(req.value);
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
  const res = (spec.response as Validator<unknown>).check(value, '');
  if (!res.ok)
    return err(
      'internal',
      `${name} produced an invalid response: ${describeProblems(res.problems)}`,
    );
  return ok(res.value);
}
