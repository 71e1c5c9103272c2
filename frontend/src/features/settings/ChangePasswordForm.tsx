import { type ChangePasswordBody, changePasswordBody, fieldErrors } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { isApiError } from '../../api/ApiError';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { FormError } from '../../ui/FormError';
import { describeForPeople, type FieldWords, fieldMessages } from '../../ui/fieldMessages';
import { TextField } from '../../ui/TextField';

type Field = 'currentPassword' | 'newPassword' | 'repeat';

interface Errors {
  fields: Partial<Record<Field, string>>;
  form?: string;
}

const NONE: Errors = { fields: {} };
const WORDS: Record<'currentPassword' | 'newPassword', FieldWords> = {
  currentPassword: { noun: 'your current password', subject: 'Your current password' },
  newPassword: { noun: 'a new password', subject: 'The new password' },
};

interface ChangePasswordFormProps {
  /** POST /me/password. */
  changePassword: (body: ChangePasswordBody) => Promise<void>;
  /** After a change: the other sessions were signed out. */
  onChanged: () => void;
}

/** The current password, the new one twice; each mistake is said under its own field. */
export function ChangePasswordForm({ changePassword, onChanged }: ChangePasswordFormProps) {
  const headingId = useId();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [changed, setChanged] = useState(false);
  const { errors, busy, submit } = useFormSubmit<Errors>(NONE);

  function check(): Errors | undefined {
    const fields: Errors['fields'] = {};
    if (currentPassword === '') fields.currentPassword = 'Type your current password.';
    const parsed = changePasswordBody.safeParse({ currentPassword: currentPassword || 'x', newPassword });
    if (!parsed.success) Object.assign(fields, toFields(fieldErrors(parsed.error)));
    if (!fields.newPassword && newPassword === currentPassword) {
      fields.newPassword = 'The new password is the same as the current one.';
    }
    if (!fields.newPassword && repeat !== newPassword) fields.repeat = 'The two new passwords do not match.';
    return Object.keys(fields).length > 0 ? { fields } : undefined;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    await submit({
      invalid: check(),
      call: () => changePassword({ currentPassword, newPassword }),
      done: () => {
        setCurrentPassword('');
        setNewPassword('');
        setRepeat('');
        setChanged(true);
        onChanged();
      },
      failed: toErrors,
    });
  }

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <header className="settings-section__header">
        <h3 id={headingId} className="settings-section__title">
          Change password
        </h3>
        <p className="settings-section__hint">Your other sessions are signed out when it changes.</p>
      </header>
      <form className="settings-section__form" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
        <FormError message={errors.form} />
        <TextField
          label="Current password"
          type="password"
          name="current-password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.fields.currentPassword}
        />
        <div className="settings-section__pair">
          <TextField
            label="New password"
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={newPassword}
            onChange={setNewPassword}
            error={errors.fields.newPassword}
            hint="At least 8 characters."
          />
          <TextField
            label="Repeat new password"
            type="password"
            name="repeat-password"
            autoComplete="new-password"
            value={repeat}
            onChange={setRepeat}
            error={errors.fields.repeat}
          />
        </div>
        <div className="settings-section__actions">
          <span className="settings-section__note" role="status">
            {changed ? 'Password changed. Your other sessions were signed out.' : ''}
          </span>
          <button type="submit" className="button button--primary button--small" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}

function toFields(list: { path: string; message: string }[]): Errors['fields'] {
  return fieldMessages(list, WORDS);
}

/** What the server's refusal means for this form, in plain words. */
function toErrors(error: unknown): Errors {
  if (!isApiError(error)) return { fields: {}, form: describeForPeople(error) };
  if (error.code === 'forbidden') {
    return { fields: { currentPassword: 'That is not your current password.' } };
  }
  if (error.code === 'rate_limited') {
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    return {
      fields: {},
      form: `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    };
  }
  const fields = toFields(error.fields);
  return Object.keys(fields).length > 0 ? { fields } : { fields: {}, form: describeForPeople(error) };
}
