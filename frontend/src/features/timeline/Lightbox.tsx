import { useEffect, useRef } from 'react';
import { CloseIcon } from '../../ui/Icons';

/** An image to show full size: its address and its alt text (the file name). */
export interface LightboxImage {
  src: string;
  alt: string;
}

interface LightboxProps extends LightboxImage {
  onClose: () => void;
}

/** The full image over the app; Escape, the close button or a click outside closes it. */
export function Lightbox({ src, alt, onClose }: LightboxProps) {
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="lightbox" role="dialog" aria-modal="true" aria-label={alt}>
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
        ref={closeRef}
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
