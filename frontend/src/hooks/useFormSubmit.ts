import { useState } from 'react';

interface Submission<Errors> {
  /** What the form's own checks found; `undefined` lets the call go ahead. */
  invalid: Errors | undefined;
  /** The request itself. */
  call: () => Promise<unknown>;
  /** After the call succeeds, e.g. close the dialog. */
  done: () => void;
  /** The errors to show when the call rejects. */
  failed: (error: unknown) => Errors;
}

/**
 * A form's submit: show the errors its checks found, or clear them, mark it busy while the call
 * runs, then finish or show what went wrong. `none` is the errors of a form without any.
 */
export function useFormSubmit<Errors>(none: Errors) {
  const [errors, setErrors] = useState<Errors>(none);
  const [busy, setBusy] = useState(false);

  async function submit({ invalid, call, done, failed }: Submission<Errors>) {
    if (invalid !== undefined) {
      setErrors(invalid);
      return;
    }
    setErrors(none);
    setBusy(true);
    try {
      await call();
      done();
    } catch (error) {
      setErrors(failed(error));
    } finally {
      setBusy(false);
    }
  }

  return { errors, busy, submit };
}
