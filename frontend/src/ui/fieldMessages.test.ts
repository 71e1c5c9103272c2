import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/ApiError';
import { describeForPeople, formFailure, forPeople } from './fieldMessages';

const username = { noun: 'a username', subject: 'The username' };

describe('field messages for people', () => {
  it('turns the contract’s terse rules into sentences', () => {
    expect(forPeople(username, 'must be 3-32 of a-z 0-9 _ . -')).toBe(
      'Use 3–32 letters, digits, dots, dashes or underscores, without spaces.',
    );
    expect(forPeople(username, 'must not be empty')).toBe('Enter a username.');
    expect(forPeople(username, 'must be at least 8 characters')).toBe('Use at least 8 characters.');
    expect(forPeople(username, 'must be at most 64 characters')).toBe('Use at most 64 characters.');
    expect(forPeople(username, 'is odd')).toBe('The username is odd.');
    // The server's own sentence stays as written.
    expect(forPeople(username, 'That username is taken.')).toBe('That username is taken.');
  });

  it('places the fields a form has and says the rest at its top', () => {
    const error = new ApiError('validation_failed', 'Invalid request: x.', {
      status: 400,
      fields: [
        { path: 'username', message: 'must not be empty' },
        { path: 'other', message: 'must be at most 5 characters' },
      ],
    });
    const failure = formFailure(error, { username });
    expect(failure.fields).toEqual({ username: 'Enter a username.' });
    expect(failure.form).toBe('Enter a username. Use at most 5 characters.');
    expect(
      formFailure(
        new ApiError('validation_failed', 'x', {
          status: 400,
          fields: [{ path: 'username', message: 'must not be empty' }],
        }),
        { username },
      ).form,
    ).toBeUndefined();
  });

  it('words failures that concern no field', () => {
    expect(
      describeForPeople(
        new ApiError('rate_limited', 'Too many requests; slow down.', {
          status: 429,
          retryAfterSeconds: 120,
        }),
      ),
    ).toBe('Too many attempts. Try again in 2 minutes.');
    expect(describeForPeople(new ApiError('unavailable', 'Shutting down.', { status: 503 }))).toBe(
      'Parley could not do that just now. Try again in a moment.',
    );
    expect(
      describeForPeople(new ApiError('network_error', 'Could not reach the server. Check your connection.')),
    ).toBe('Could not reach the server. Check your connection.');
  });
});
