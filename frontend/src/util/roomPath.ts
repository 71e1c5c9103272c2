/** Deep links to rooms: `/r/<slug>`, answered by the server with the app's index.html. */

const ROOM_PATH = /^\/r\/([^/]+)\/?$/;

/** The room slug a path names, if it is a room link. */
export function roomSlugFromPath(pathname: string): string | undefined {
  const match = ROOM_PATH.exec(pathname);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]).toLowerCase();
  } catch {
    return undefined;
  }
}

export function roomPath(slug: string): string {
  return `/r/${encodeURIComponent(slug)}`;
}
