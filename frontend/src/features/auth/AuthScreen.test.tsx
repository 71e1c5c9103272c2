import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { AuthScreen } from './AuthScreen';

describe('AuthScreen', () => {
  it('signs in with the typed credentials', async () => {
    const user = userEvent.setup();
    const onSignIn = vi.fn(async () => undefined);
    render(<AuthScreen onSignIn={onSignIn} onRegister={vi.fn()} />);
    await user.type(screen.getByLabelText('Username'), 'Alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignIn).toHaveBeenCalledExactlyOnceWith({ username: 'Alice', password: 'correct horse' });
  });

  it("shows the server's message when sign-in is refused", async () => {
    const user = userEvent.setup();
    const onSignIn = vi.fn(async () => {
      throw new ApiError('unauthenticated', 'Wrong username or password.', { status: 401 });
    });
    render(<AuthScreen onSignIn={onSignIn} onRegister={vi.fn()} />);
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'nope nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
  });

  it('shows validation_failed field errors next to their fields', async () => {
    const user = userEvent.setup();
    const onRegister = vi.fn(async () => {
      throw new ApiError('validation_failed', 'Some fields are not valid.', {
        status: 400,
        fields: [
          { path: 'username', message: 'is already taken' },
          { path: 'displayName', message: 'must be at most 64 characters' },
        ],
      });
    });
    render(<AuthScreen onSignIn={vi.fn()} onRegister={onRegister} />);
    await user.click(screen.getByRole('link', { name: 'Create account' }));
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Display name'), 'Alice');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(onRegister).toHaveBeenCalledExactlyOnceWith({
      username: 'alice',
      password: 'long enough',
      displayName: 'Alice',
    });
    const username = screen.getByLabelText('Username');
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription('The username is already taken.');
    expect(screen.getByLabelText('Display name')).toHaveAccessibleDescription('Use at most 64 characters.');
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
  });

  it('checks the contract limits before sending a registration', async () => {
    const user = userEvent.setup();
    const onRegister = vi.fn();
    render(<AuthScreen onSignIn={vi.fn()} onRegister={onRegister} initialMode="register" />);
    await user.type(screen.getByLabelText('Username'), 'al');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onRegister).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Use at least 8 characters.');
    const username = screen.getByLabelText('Username');
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription(
      'Use 3–32 letters, digits, dots, dashes or underscores, without spaces.',
    );
  });

  it('ties the password rule to the field until an error replaces it', () => {
    render(<AuthScreen onSignIn={vi.fn()} onRegister={vi.fn()} initialMode="register" />);
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('At least 8 characters.');
  });

  it('says under each empty field what to type before signing in', async () => {
    const user = userEvent.setup();
    const onSignIn = vi.fn();
    render(<AuthScreen onSignIn={onSignIn} onRegister={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignIn).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Enter your username.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('puts a taken username under the username field', async () => {
    const user = userEvent.setup();
    const onRegister = vi.fn(async () => {
      throw new ApiError('conflict', 'That username is taken.', { status: 409 });
    });
    render(<AuthScreen onSignIn={vi.fn()} onRegister={onRegister} initialMode="register" />);
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('That username is taken. Try another one.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(
      'That username is taken. Try another one.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says when to try again after too many attempts, at the top of the form', async () => {
    const user = userEvent.setup();
    const onSignIn = vi.fn(async () => {
      throw new ApiError('rate_limited', 'Too many requests; slow down.', {
        status: 429,
        retryAfterSeconds: 30,
      });
    });
    render(<AuthScreen onSignIn={onSignIn} onRegister={vi.fn()} />);
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'whatever');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 30 seconds.');
  });
});
