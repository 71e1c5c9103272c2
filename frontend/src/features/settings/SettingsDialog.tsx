import type { UserSettings } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/ApiError';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { DoubleCheckIcon } from '../../ui/Icons';
import { Toggle } from '../../ui/Toggle';

interface SettingsDialogProps {
  /** GET /me/settings. */
  load: () => Promise<UserSettings>;
  /** PATCH /me/settings: answers the settings as saved. */
  save: (changes: Partial<UserSettings>) => Promise<UserSettings>;
  onClose: () => void;
}

/**
 * One's own settings. The switch saves at once: it moves when clicked, and moves back with a
 * message if the server refuses.
 */
export function SettingsDialog({ load, save, onClose }: SettingsDialogProps) {
  const [settings, setSettings] = useState<UserSettings | null>(null);
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
    <Dialog title="Settings" description="These apply wherever you sign in." onClose={onClose}>
      <div className="dialog__form">
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
        <div className="dialog__buttons">
          <button type="button" className="button button--primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Dialog>
  );
}
