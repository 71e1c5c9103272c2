import { type ReactNode, useId, useState } from 'react';
import {
  readThemePreference,
  saveThemePreference,
  THEME_PREFERENCES,
  type ThemePreference,
} from '../../theme/theme';
import { MonitorIcon, MoonIcon, SunIcon } from '../../ui/Icons';

const CHOICES: Record<ThemePreference, { label: string; icon: ReactNode }> = {
  system: { label: 'System', icon: <MonitorIcon width={16} height={16} /> },
  light: { label: 'Light', icon: <SunIcon width={16} height={16} /> },
  dark: { label: 'Dark', icon: <MoonIcon width={16} height={16} /> },
};

/** Light, dark, or whatever the system says: on this device only, applied at once. */
export function ThemeSection() {
  const [preference, setPreference] = useState<ThemePreference>(readThemePreference);
  const headingId = useId();
  const hintId = useId();

  function choose(next: ThemePreference) {
    setPreference(next);
    saveThemePreference(next);
  }

  return (
    <fieldset className="settings-section theme-choice" aria-labelledby={headingId} aria-describedby={hintId}>
      <header className="settings-section__header">
        <h3 id={headingId} className="settings-section__title">
          Theme
        </h3>
        <p id={hintId} className="settings-section__hint">
          On this device. System follows your computer's light or dark setting.
        </p>
      </header>
      <div className="theme-choice__options">
        {THEME_PREFERENCES.map((value) => (
          <label key={value} className="theme-choice__option">
            <input
              type="radio"
              name={`theme-${headingId}`}
              className="theme-choice__input"
              value={value}
              checked={preference === value}
              onChange={() => choose(value)}
            />
            <span className="theme-choice__face">
              {CHOICES[value].icon}
              {CHOICES[value].label}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
