// Validator for the ApiError value (kept apart from result.ts so result.ts has no imports).
import { ERROR_KINDS, type ApiError } from './result';
import { obj, oneOf, str, type Validator } from './validate';

export type ApiErrorValue = ApiError;

export const apiError: Validator<ApiError> = obj<ApiError>({
  kind: oneOf(ERROR_KINDS),
  message: str({ max: 65536 }),
});
