import type { FieldError } from '@parley/protocol';
import { describeError, isApiError } from '../api/ApiError';

/**
 * How the forms say what is wrong, in words for people rather than the contract's terse
 * `must be 3-32 of a-z 0-9 _ . -`. The same words whether the form's own check (the contract's
 * zod schema) or the server (`error.details.fields`) found the problem.
 */

/** How a form names one of its fields in a sentence: "Enter a username." */
export interface FieldWords {
  /** With an article, for "Enter …": "a username", "the room's name". */
  noun: string;
  /** As a subject: "The username". */
  subject: string;
}

/** A schema's (or the server's) message about one field, as a sentence for people. */
export function forPeople(words: FieldWords, message: string): string {
  const trimmed = message.trim();
  // The server's own sentence (a name taken, a wrong password) is already written for people.
  if (/^[A-Z]/.test(trimmed)) return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
  if (trimmed === 'must not be empty' || trimmed === 'Required') return `Enter ${words.noun}.`;
  const atLeast = /^must be at least (\d+) characters?$/.exec(trimmed);
  if (atLeast) return `Use at least ${atLeast[1]} characters.`;
  const atMost = /^must be at most (\d+) characters?$/.exec(trimmed);
  if (atMost) return `Use at most ${atMost[1]} characters.`;
  const usernameRule = /^must be (\d+)-(\d+) of a-z 0-9 _ \. -$/.exec(trimmed);
  if (usernameRule) {
    return `Use ${usernameRule[1]}–${usernameRule[2]} letters, digits, dots, dashes or underscores, without spaces.`;
  }
  if (trimmed.startsWith('must not contain the NUL'))
    return `${words.subject} contains an invisible control character; remove it.`;
  return `${words.subject} ${trimmed}${/[.!?]$/.test(trimmed) ? '' : '.'}`;
}

/**
 * The field errors a form knows how to place, by field, in words for people; the first message
 * per field wins. Paths of other fields are left out (see `formFailure`).
 */
export function fieldMessages<Field extends string>(
  list: readonly FieldError[],
  words: Readonly<Record<Field, FieldWords>>,
): Partial<Record<Field, string>> {
  const fields: Partial<Record<Field, string>> = {};
  for (const { path, message } of list) {
    if (!Object.hasOwn(words, path)) continue;
    const field = path as Field;
    if (fields[field] === undefined) fields[field] = forPeople(words[field], message);
  }
  return fields;
}

/**
 * A refusal as a form shows it: under the fields the server names, and what concerns no field
 * (or a field the form does not have) at the form's top.
 */
export function formFailure<Field extends string>(
  error: unknown,
  words: Readonly<Record<Field, FieldWords>>,
): { fields: Partial<Record<Field, string>>; form?: string } {
  if (!isApiError(error)) return { fields: {}, form: describeForPeople(error) };
  const fields = fieldMessages(error.fields, words);
  const placed = Object.keys(fields).length > 0;
  const unplaced = error.fields.some((field) => !Object.hasOwn(words, field.path));
  if (placed && !unplaced) return { fields };
  return { fields, form: describeForPeople(error) };
}

/** Any failure as a sentence for the top of a form (or a banner). */
export function describeForPeople(error: unknown): string {
  if (isApiError(error)) {
    if (error.code === 'rate_limited')
      return `Too many attempts. Try again ${inSeconds(error.retryAfterSeconds)}.`;
    if (error.code === 'unavailable' || (error.status >= 500 && error.status < 600)) {
      return 'Parley could not do that just now. Try again in a moment.';
    }
    // "Invalid request: name must …" when no field could be placed: the fields say it better.
    if (error.code === 'validation_failed' && error.fields.length > 0) {
      return error.fields.map((field) => forPeople(pathWords(field.path), field.message)).join(' ');
    }
  }
  return describeError(error);
}

function inSeconds(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 1) return 'in a moment';
  if (seconds < 90) return `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minutes`;
}

/** Words for a field path no form names: "The name". */
function pathWords(path: string): FieldWords {
  const plain = path.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return { noun: `a ${plain}`, subject: `The ${plain}` };
}
