import { useEffect, useRef } from 'react';
import { CloseIcon } from '../../ui/Icons';
import { useModalFocus } from '../../ui/useModalFocus';

/** An image to show full size: its address and its alt text (the file name). */
export interface LightboxImage {
  src: string;
  alt: string;
}

interface LightboxProps extends LightboxImage {
  onClose: () => void;
}

/**
 * The full image over the app; Escape, the close button or a click outside closes it. A modal
 * like the dialogs: focus starts on Close, Tab stays inside, and goes back to the image that
 * opened it on close.
 */
export function Lightbox({ src, alt, onClose }: LightboxProps) {
  const frame = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useModalFocus(frame);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div ref={frame} className="lightbox" role="dialog" aria-modal="true" aria-label={alt} tabIndex={-1}>
      <button
        type="button"
        className="lightbox__backdrop"
        aria-label="Close image"
        tabIndex={-1}
        onClick={onClose}
      />
      <figure className="lightbox__figure">
        <img src={src} alt={alt} />
        <figcaption>
          <span>{alt}</span>
          <a href={src} download={alt} className="lightbox__link">
            Download
          </a>
        </figcaption>
      </figure>
      <button
        // biome-ignore lint/a11y/noAutofocus: the modal's first stop; focus returns to the opening image on close
        autoFocus
        type="button"
        className="lightbox__close icon-button"
        aria-label="Close"
        onClick={onClose}
      >
        <CloseIcon />
      </button>
    </div>
  );
}
