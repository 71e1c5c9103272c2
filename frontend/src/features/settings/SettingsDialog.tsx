import type { ChangePasswordBody, UserSettings } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/ApiError';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { DoubleCheckIcon } from '../../ui/Icons';
import { Toggle } from '../../ui/Toggle';
import { DesktopNotificationsSection } from '../notifications/DesktopNotificationsSection';
import { type PushApi, PushNotificationsSection } from '../notifications/PushNotificationsSection';
import { ChangePasswordForm } from './ChangePasswordForm';
import { type ProfileActions, ProfileSection } from './ProfileSection';
import { type SessionActions, SessionsSection } from './SessionsSection';
import { ThemeSection } from './ThemeSection';

interface SettingsDialogProps extends SessionActions {
  /** GET /me/settings. */
  load: () => Promise<UserSettings>;
  /** PATCH /me/settings: answers the settings as saved. */
  save: (changes: Partial<UserSettings>) => Promise<UserSettings>;
  /** POST /me/password. */
  changePassword: (body: ChangePasswordBody) => Promise<void>;
  /** One's name and picture (the Profile section, first); absent, the section is not shown. */
  profile?: ProfileActions | undefined;
  onClose: () => void;
  /** Web Push on this device; the section is left out without it. */
  push?: PushApi;
}

/**
 * One's own settings: first the profile (name and picture), then the read-receipts switch. The switch saves at once: it moves when clicked, and moves back with a
 * message if the server refuses. Below it the theme (kept on this device), where one is signed
 * in, and the password.
 */
export function SettingsDialog({
  load,
  save,
  changePassword,
  profile,
  onClose,
  push,
  ...sessions
}: SettingsDialogProps) {
  const [settings, setSettings] = useState<UserSettings | null>(null);
  /** Bumped by a password change, which signs the other sessions out. */
  const [sessionsVersion, setSessionsVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (loaded) => {
        if (!cancelled) setSettings(loaded);
      },
      (failure: unknown) => {
        if (!cancelled) setError(describeError(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load]);

  async function setShare(shareReadReceipts: boolean) {
    if (!settings) return;
    const before = settings;
    setSettings({ ...settings, shareReadReceipts });
    setSaving(true);
    setError(null);
    try {
      setSettings(await save({ shareReadReceipts }));
    } catch (failure) {
      setSettings(before);
      setError(describeError(failure));
    } finally {
      setSaving(false);
    }
  }

  const share = settings?.shareReadReceipts ?? true;

  return (
    <Dialog title="Settings" description="These apply wherever you sign in." onClose={onClose} size="wide">
      <div className="dialog__form">
        {profile ? <ProfileSection {...profile} /> : null}
        <FormError message={error} />
        <Toggle
          label="Share read receipts"
          hint={
            share
              ? 'People see when you have read their messages.'
              : 'Nobody sees when you read their messages. Delivery is still shown.'
          }
          icon={<DoubleCheckIcon width={20} height={18} />}
          checked={share}
          disabled={!settings || saving}
          loading={!settings}
          onChange={(checked) => void setShare(checked)}
        />
        <ThemeSection />
        <DesktopNotificationsSection />
        {push ? <PushNotificationsSection api={push} /> : null}
        <SessionsSection {...sessions} reloadKey={sessionsVersion} />
        <ChangePasswordForm
          changePassword={changePassword}
          onChanged={() => setSessionsVersion((version) => version + 1)}
        />
        <div className="dialog__buttons">
          <button type="button" className="button button--primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Dialog>
  );
}
