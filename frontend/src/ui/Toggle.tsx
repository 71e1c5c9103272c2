import { type ReactNode, useId } from 'react';

interface ToggleProps {
  label: string;
  hint: string;
  /** Shown before the text. */
  icon: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  /** Dims it while what it shows is not known yet. */
  loading?: boolean;
}

/** A labelled switch with a hint under its label. */
export function Toggle({ label, hint, icon, checked, onChange, disabled, loading = false }: ToggleProps) {
  const id = useId();
  return (
    <label className={`toggle${loading ? ' toggle--loading' : ''}`}>
      <span className="toggle__icon" aria-hidden="true">
        {icon}
      </span>
      <span className="toggle__text">
        <span className="toggle__label" id={`${id}-label`}>
          {label}
        </span>
        <span className="toggle__hint" id={`${id}-hint`}>
          {hint}
        </span>
      </span>
      <input
        type="checkbox"
        role="switch"
        aria-checked={checked}
        className="toggle__input"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="toggle__track" aria-hidden="true" />
    </label>
  );
}
