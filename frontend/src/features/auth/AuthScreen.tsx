import { fieldErrors, LIMITS, type LoginBody, type RegisterBody, registerBody } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { isApiError } from '../../api/ApiError';
import { type FieldWords, fieldMessages, formFailure } from '../../ui/fieldMessages';
import { Logo } from '../../ui/Icons';

type Mode = 'signIn' | 'register';
type Field = 'username' | 'password' | 'displayName';

const WORDS: Record<Field, FieldWords> = {
  username: { noun: 'your username', subject: 'The username' },
  password: { noun: 'your password', subject: 'The password' },
  displayName: { noun: 'a display name', subject: 'The display name' },
};

interface AuthScreenProps {
  onSignIn: (body: LoginBody) => Promise<void>;
  onRegister: (body: RegisterBody) => Promise<void>;
  /** Why the user is here again (e.g. the session ended). */
  notice?: string | undefined;
  initialMode?: Mode;
}

export function AuthScreen({ onSignIn, onRegister, notice, initialMode = 'signIn' }: AuthScreenProps) {
  const [mode, setMode] = useState<Mode>(initialMode);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [fields, setFields] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const isRegister = mode === 'register';

  function switchMode(next: Mode) {
    setMode(next);
    setFields({});
    setFormError(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFields({});
    setFormError(null);
    if (isRegister) {
      const body = {
        username,
        password,
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      };
      // The contract's own schema catches the obvious before the round trip.
      const checked = registerBody.safeParse(body);
      if (!checked.success) {
        setFields(fieldMessages(fieldErrors(checked.error), WORDS));
        return;
      }
    } else {
      const missing: Partial<Record<Field, string>> = {};
      if (username.trim() === '') missing.username = 'Enter your username.';
      if (password === '') missing.password = 'Enter your password.';
      if (Object.keys(missing).length > 0) {
        setFields(missing);
        return;
      }
    }
    setBusy(true);
    try {
      if (isRegister) {
        await onRegister({
          username,
          password,
          ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        });
      } else {
        await onSignIn({ username, password });
      }
    } catch (error) {
      // A taken username is about the username field, though the server names no field.
      if (isRegister && isApiError(error) && error.code === 'conflict') {
        setFields({ username: `${error.message} Try another one.` });
      } else {
        const failure = formFailure(error, WORDS);
        setFields(failure.fields);
        setFormError(failure.form ?? null);
      }
      setBusy(false);
    }
  }

  // The password's rule is read with the field until an error replaces it.
  const passwordHint = isRegister && !fields.password;
  const fieldProps = (field: Field) => {
    const message = fields[field];
    const hint = field === 'password' && passwordHint ? `${ids}-password-hint` : undefined;
    return {
      id: `${ids}-${field}`,
      'aria-invalid': message ? true : undefined,
      'aria-describedby': message ? `${ids}-${field}-error` : hint,
    };
  };

  const fieldError = (field: Field) =>
    fields[field] ? (
      <p className="field__error" id={`${ids}-${field}-error`}>
        {fields[field]}
      </p>
    ) : null;

  return (
    <main className="auth">
      <div className="auth__panel">
        <div className="auth__brand">
          <Logo size={40} />
          <span className="auth__brand-name">Parley</span>
        </div>
        <h1 className="auth__title">{isRegister ? 'Create your account' : 'Welcome back'}</h1>
        <p className="auth__subtitle">
          {isRegister ? 'Join the conversation in a few seconds.' : 'Sign in to pick up where you left off.'}
        </p>

        {notice && !formError ? <p className="auth__notice">{notice}</p> : null}
        {formError ? (
          <p className="auth__error" role="alert">
            {formError}
          </p>
        ) : null}

        <form className="auth__form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-username`}>Username</label>
            <input
              {...fieldProps('username')}
              // biome-ignore lint/a11y/noAutofocus: the screen's one task starts here, as on every sign-in page; nothing is skipped
              autoFocus
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={256}
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              required
            />
            {fieldError('username')}
          </div>

          {isRegister ? (
            <div className="field">
              <label htmlFor={`${ids}-displayName`}>Display name</label>
              <input
                {...fieldProps('displayName')}
                name="displayName"
                autoComplete="nickname"
                maxLength={LIMITS.displayNameMax * 2}
                placeholder="Optional: how others see you"
                value={displayName}
                onChange={(event) => setDisplayName(event.target.value)}
              />
              {fieldError('displayName')}
            </div>
          ) : null}

          <div className="field">
            <label htmlFor={`${ids}-password`}>Password</label>
            <input
              {...fieldProps('password')}
              name="password"
              type="password"
              autoComplete={isRegister ? 'new-password' : 'current-password'}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
            {passwordHint ? (
              <p className="field__hint" id={`${ids}-password-hint`}>
                At least {LIMITS.passwordMin} characters.
              </p>
            ) : null}
            {fieldError('password')}
          </div>

          <button className="button button--primary button--block" type="submit" disabled={busy}>
            {isRegister ? 'Create account' : 'Sign in'}
          </button>
        </form>

        <p className="auth__switch">
          {isRegister ? 'Already have an account?' : 'New to Parley?'}{' '}
          <a
            href={isRegister ? '#sign-in' : '#register'}
            className="link"
            onClick={(event) => {
              event.preventDefault();
              switchMode(isRegister ? 'signIn' : 'register');
            }}
          >
            {isRegister ? 'Sign in' : 'Create account'}
          </a>
        </p>
      </div>
    </main>
  );
}
