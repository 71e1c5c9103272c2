import type { UserRef } from '@parley/protocol';
import { isApiError } from '../../api/ApiError';
import { describeForPeople, fieldMessages } from '../../ui/fieldMessages';
import { TextField } from '../../ui/TextField';
import { UserSuggestField } from '../people/UserSuggestField';
import type { SearchUsers } from '../people/useUserSuggestions';

interface UsernameFieldProps {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  placeholder: string;
  autoFocus?: boolean;
  /** Suggests people as one types (GET /users?q=); a plain field without it. */
  search?: SearchUsers | undefined;
  /** People not to suggest. */
  exclude?: ReadonlySet<string>;
  onPicked?: (user: UserRef) => void;
}

/** The "Username" input of the forms that find a person by username. */
export function UsernameField({ search, exclude, onPicked, ...props }: UsernameFieldProps) {
  if (search)
    return (
      <UserSuggestField
        {...props}
        search={search}
        {...(exclude ? { exclude } : {})}
        {...(onPicked ? { onPicked } : {})}
      />
    );
  return (
    <TextField
      label="Username"
      autoComplete="off"
      autoCapitalize="none"
      spellCheck={false}
      maxLength={256}
      {...props}
    />
  );
}

/** The username typed, without spaces around it or a leading `@`. */
export function toUsername(typed: string): string {
  return typed.trim().replace(/^@/, '');
}

/** Why a request about the user `name` failed: there is no such user, or the server's reason. */
export function userFailure(name: string, error: unknown): string {
  if (!isApiError(error)) return describeForPeople(error);
  if (error.status === 404) return `No user named ${name}.`;
  const { username } = fieldMessages(error.fields, {
    username: { noun: 'a username', subject: 'The username' },
  });
  return username ?? describeForPeople(error);
}
