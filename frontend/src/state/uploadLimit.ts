/**
 * The server's file size limit as people read it. MAX_UPLOAD_BYTES counts bytes in MiB steps
 * (26214400 = 25 MiB); it is written "MB", as the rest of the app and most apps write sizes.
 */
const MIB = 1024 * 1024;

/** "25 MB", "1.5 MB", "800 KB". */
export function formatLimit(bytes: number): string {
  if (bytes >= MIB) {
    const mb = bytes / MIB;
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Why a file is not sent: "sunset.mov is 26.2 MB; files can be at most 25 MB." */
export function tooLargeMessage(file: { name: string; size: number }, maxBytes: number): string {
  return `${file.name} is ${formatLimit(file.size)}; files can be at most ${formatLimit(maxBytes)}.`;
}

/** The answer to a 413 whose file size is unknown here. */
export function overLimitMessage(maxBytes: number): string {
  return `The file is over the ${formatLimit(maxBytes)} limit.`;
}
