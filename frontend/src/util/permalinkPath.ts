/** Permalinks to one message: `/r/<slug>/m/<id>` (answered by the server with index.html). */
import { roomPath } from './roomPath';

const PERMALINK_PATH = /^\/r\/([^/]+)\/m\/([^/]+)\/?$/;

export interface Permalink {
  slug: string;
  messageId: string;
}

export function permalinkPath(slug: string, messageId: string): string {
  return `${roomPath(slug)}/m/${encodeURIComponent(messageId)}`;
}

/** The room and message a path names, if it is a permalink. */
export function permalinkFromPath(pathname: string): Permalink | undefined {
  const match = PERMALINK_PATH.exec(pathname);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return { slug: decodeURIComponent(match[1]).toLowerCase(), messageId: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}
