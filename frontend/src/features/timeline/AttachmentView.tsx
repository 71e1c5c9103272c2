import type { Attachment } from '@parley/protocol';
import { DownloadIcon, FileIcon } from '../../ui/Icons';
import { fitInto, formatBytes } from '../../util/format';
import type { LightboxImage } from './Lightbox';

interface AttachmentViewProps {
  attachment: Attachment;
  resolveUrl: (path: string) => string;
  onOpenImage: (image: LightboxImage) => void;
}

const PREVIEW_MAX_WIDTH = 360;
const PREVIEW_MAX_HEIGHT = 280;

export function isPreviewableImage(attachment: Pick<Attachment, 'contentType' | 'thumbnailUrl'>): boolean {
  const type = attachment.contentType.toLowerCase();
  if (!type.startsWith('image/')) return false;
  // SVG is served as a download; only its thumbnail (if any) is drawn.
  return !type.startsWith('image/svg') || attachment.thumbnailUrl !== undefined;
}

export function AttachmentView({ attachment, resolveUrl, onOpenImage }: AttachmentViewProps) {
  if (isPreviewableImage(attachment)) {
    const src = resolveUrl(attachment.thumbnailUrl ?? attachment.url);
    const full = resolveUrl(attachment.url);
    return (
      <ImagePreview
        src={src}
        alt={attachment.fileName}
        width={attachment.width}
        height={attachment.height}
        href={full}
        onOpen={() => onOpenImage({ src: full, alt: attachment.fileName })}
      />
    );
  }
  return <FileCard name={attachment.fileName} size={attachment.size} href={resolveUrl(attachment.url)} />;
}

interface ImagePreviewProps {
  src: string;
  alt: string;
  width?: number | undefined;
  height?: number | undefined;
  /** The full image; with `onOpen`, the preview is a link that opens it in the app. */
  href?: string;
  onOpen?: () => void;
}

/** An image sized from its known dimensions, so the list does not jump when it loads. */
export function ImagePreview({ src, alt, width, height, href, onOpen }: ImagePreviewProps) {
  const box = fitInto(width, height, PREVIEW_MAX_WIDTH, PREVIEW_MAX_HEIGHT);
  const image = (
    <img
      className="image-preview__img"
      src={src}
      alt={alt}
      loading="lazy"
      decoding="async"
      {...(box
        ? { width: box.width, height: box.height, style: { aspectRatio: `${box.width} / ${box.height}` } }
        : {})}
    />
  );
  if (!onOpen || !href) return <div className="image-preview">{image}</div>;
  return (
    <a
      className="image-preview image-preview--link"
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      title={`Open ${alt}`}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        onOpen();
      }}
    >
      {image}
    </a>
  );
}

interface FileCardProps {
  name: string;
  size: number;
  /** Absent while the file is still being sent. */
  href?: string;
}

export function FileCard({ name, size, href }: FileCardProps) {
  return (
    <div className="file-card">
      <span className="file-card__icon" aria-hidden="true">
        <FileIcon width={22} height={22} />
      </span>
      <span className="file-card__info">
        <span className="file-card__name" title={name}>
          {name}
        </span>
        <span className="file-card__size">{formatBytes(size)}</span>
      </span>
      {href ? (
        <a className="file-card__download" href={href} download={name} aria-label={`Download ${name}`}>
          <DownloadIcon />
        </a>
      ) : null}
    </div>
  );
}
