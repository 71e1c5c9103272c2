import { AVATAR, displayNameSchema, type User } from '@parley/protocol';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, isApiError } from '../../api/ApiError';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { Avatar } from '../../ui/Avatar';
import { FormError } from '../../ui/FormError';
import { sentence, TextField } from '../../ui/TextField';

export interface ProfileActions {
  me: User;
  /** PATCH /me. */
  rename: (displayName: string) => Promise<User>;
  /** PUT /me/avatar. */
  setAvatar: (image: Blob) => Promise<User>;
  /** DELETE /me/avatar. */
  removeAvatar: () => Promise<User>;
}

interface NameErrors {
  field?: string;
  form?: string;
}

const MAX_MB = AVATAR.maxBytes / (1024 * 1024);
const PICTURE_HINT = `PNG, JPEG, WebP or GIF, up to ${MAX_MB} MB. Cropped to a square.`;

/**
 * How others see one: the picture beside one's messages and the display name. A picked picture
 * is previewed (cropped as the server will crop it) before it is sent; each mistake is said
 * under what caused it and tied to it for screen readers.
 */
export function ProfileSection({ me, rename, setAvatar, removeAvatar }: ProfileActions) {
  const headingId = useId();
  const pictureNoteId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [displayName, setDisplayName] = useState(me.displayName);
  const [saved, setSaved] = useState(false);
  const { errors, busy, submit } = useFormSubmit<NameErrors>({});

  const [picked, setPicked] = useState<{ file: File; preview: string } | null>(null);
  const [pictureError, setPictureError] = useState<string | null>(null);
  const [pictureBusy, setPictureBusy] = useState(false);
  const [pictureStatus, setPictureStatus] = useState('');

  // The preview's object URL is let go when it is replaced or the section closes.
  useEffect(() => () => (picked ? URL.revokeObjectURL(picked.preview) : undefined), [picked]);

  async function onSubmitName(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const parsed = displayNameSchema.safeParse(displayName);
    await submit({
      invalid: parsed.success
        ? undefined
        : { field: sentence('Your display name', parsed.error.issues[0]?.message ?? 'is not valid') },
      call: async () => {
        const user = await rename(parsed.success ? parsed.data : displayName);
        setDisplayName(user.displayName);
      },
      done: () => setSaved(true),
      failed: nameErrors,
    });
  }

  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ''; // Picking the same file again still counts as a choice.
    if (!file) return;
    setPictureStatus('');
    if (file.size > AVATAR.maxBytes) {
      setPictureError(`That picture is over ${MAX_MB} MB; choose a smaller one.`);
      return;
    }
    if (file.type && !(AVATAR.contentTypes as readonly string[]).includes(file.type)) {
      setPictureError('That file is not a PNG, JPEG, WebP or GIF picture.');
      return;
    }
    setPictureError(null);
    setPicked({ file, preview: URL.createObjectURL(file) });
  }

  async function pictureCall(call: () => Promise<User>, status: string) {
    setPictureBusy(true);
    setPictureError(null);
    try {
      await call();
      setPicked(null);
      setPictureStatus(status);
    } catch (error) {
      setPictureError(pictureErrorText(error));
    } finally {
      setPictureBusy(false);
    }
  }

  return (
    <section className="settings-section settings-section--first" aria-labelledby={headingId}>
      <header className="settings-section__header">
        <h3 id={headingId} className="settings-section__title">
          Profile
        </h3>
        <p className="settings-section__hint">How people see you beside your messages and in member lists.</p>
      </header>
      <div className="profile-section">
        <div className="profile-picture">
          {picked ? (
            <span className="avatar avatar--lg avatar--picture profile-picture__preview">
              <img className="avatar__image" src={picked.preview} alt="How your new avatar will look" />
            </span>
          ) : (
            <Avatar userId={me.id} name={me.displayName} url={me.avatarUrl} size="lg" />
          )}
          <div className="profile-picture__controls">
            <input
              ref={fileInput}
              type="file"
              accept={AVATAR.contentTypes.join(',')}
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              onChange={onPick}
              data-testid="avatar-file"
            />
            <div className="profile-picture__buttons">
              {picked ? (
                <>
                  <button
                    type="button"
                    className="button button--primary button--small"
                    disabled={pictureBusy}
                    aria-describedby={pictureNoteId}
                    onClick={() => void pictureCall(() => setAvatar(picked.file), 'Picture saved.')}
                  >
                    {pictureBusy ? 'Saving…' : 'Use this picture'}
                  </button>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    disabled={pictureBusy}
                    onClick={() => setPicked(null)}
                  >
                    Cancel
                  </button>
                </>
              ) : (
                <>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    disabled={pictureBusy}
                    aria-describedby={pictureNoteId}
                    aria-invalid={pictureError ? true : undefined}
                    onClick={() => fileInput.current?.click()}
                  >
                    {me.avatarUrl ? 'Change picture…' : 'Choose picture…'}
                  </button>
                  {me.avatarUrl ? (
                    <button
                      type="button"
                      className="button button--danger-soft button--small"
                      disabled={pictureBusy}
                      onClick={() => void pictureCall(removeAvatar, 'Picture removed.')}
                    >
                      {pictureBusy ? 'Removing…' : 'Remove'}
                    </button>
                  ) : null}
                </>
              )}
            </div>
            {pictureError ? (
              <p className="field__error" id={pictureNoteId} role="alert">
                {pictureError}
              </p>
            ) : (
              <p className="field__hint" id={pictureNoteId}>
                {PICTURE_HINT}
              </p>
            )}
            <span className="settings-section__note" role="status">
              {pictureStatus}
            </span>
          </div>
        </div>
        <form
          className="settings-section__form"
          onSubmit={onSubmitName}
          noValidate
          aria-labelledby={headingId}
        >
          <FormError message={errors.form} />
          <TextField
            label="Display name"
            name="display-name"
            autoComplete="name"
            value={displayName}
            onChange={(value) => {
              setDisplayName(value);
              setSaved(false);
            }}
            error={errors.field}
            hint={`Up to 64 characters. Your username stays @${me.username}.`}
          />
          <div className="settings-section__actions">
            <span className="settings-section__note" role="status">
              {saved ? 'Display name saved.' : ''}
            </span>
            <button
              type="submit"
              className="button button--primary button--small"
              disabled={busy || displayName.trim() === me.displayName}
            >
              {busy ? 'Saving…' : 'Save name'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}

function nameErrors(error: unknown): NameErrors {
  if (!isApiError(error)) return { form: describeError(error) };
  const field = error.fields.find((candidate) => candidate.path === 'displayName');
  return field ? { field: sentence('Your display name', field.message) } : { form: describeError(error) };
}

function pictureErrorText(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'payload_too_large':
      return `That picture is over ${MAX_MB} MB; choose a smaller one.`;
    case 'unsupported_media_type':
      return 'That file is not a PNG, JPEG, WebP or GIF picture.';
    case 'validation_failed':
      return 'That picture could not be read; try another one.';
    default:
      return describeError(error);
  }
}
