import { fieldErrors } from '@parley/protocol';
import type { z } from 'zod';
import { AppError } from '../core/errors.js';

/** Parses input with a contract schema, or throws validation_failed naming every bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  const summary = fields.map((field) => `${field.path} ${field.message}`).join('; ');
  throw new AppError('validation_failed', `Invalid request: ${summary}.`, { fields });
}
