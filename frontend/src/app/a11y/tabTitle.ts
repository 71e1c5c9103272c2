import { useEffect } from 'react';

const APP_NAME = 'Parley';

/** The tab's title: `(3) #general · Parley`, the count being every room's unread messages. */
export function tabTitle(place: string | null, unread: number): string {
  const name = place ? `${place} · ${APP_NAME}` : APP_NAME;
  return unread > 0 ? `(${unread}) ${name}` : name;
}

export function totalUnread(unread: Readonly<Record<string, number>>): number {
  return Object.values(unread).reduce((sum, count) => sum + count, 0);
}

/** Keeps `document.title` in step; back to plain "Parley" when the chat goes (sign-out). */
export function useTabTitle(place: string | null, unread: number): void {
  useEffect(() => {
    document.title = tabTitle(place, unread);
  }, [place, unread]);
  useEffect(
    () => () => {
      document.title = APP_NAME;
    },
    [],
  );
}
