/**
 * The small team every screenshot shows: Ada (the instance's first account, so its admin), Ben
 * and Chloé in #design, with markdown, reactions, a thread, a mention and a job that failed for
 * good (the admin's Failed jobs page has a row). Made through the API, before any browser.
 */

export const PASSWORD = 'correct horse battery staple';

export interface Person {
  username: string;
  token: string;
}

export interface Team {
  base: string;
  ada: Person;
  ben: Person;
  chloe: Person;
  /** #design's id. */
  roomId: string;
  call: Caller;
}

type Caller = <T>(method: string, route: string, token: string | undefined, body?: unknown) => Promise<T>;

export async function seedTeam(base: string): Promise<Team> {
  const call: Caller = async <T>(
    method: string,
    route: string,
    token: string | undefined,
    body?: unknown,
  ) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const register = async (username: string, displayName: string): Promise<Person> => {
    const answer = await call<{ token: string }>('POST', '/auth/register', undefined, {
      username,
      displayName,
      password: PASSWORD,
    });
    return { username, token: answer.token };
  };
  const send = async (who: Person, roomId: string, text: string, replyTo?: string) => {
    const { job } = await call<{ job: { id: string } }>('POST', '/jobs', who.token, {
      type: 'message',
      roomId,
      text,
      ...(replyTo ? { replyTo } : {}),
    });
    for (;;) {
      const { job: now } = await call<{ job: { status: string; result?: { messageId: string } } }>(
        'GET',
        `/jobs/${job.id}`,
        who.token,
      );
      if (now.status === 'completed' && now.result) return now.result.messageId;
      if (now.status === 'failed') return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const react = (who: Person, messageId: string, emoji: string) =>
    call('PUT', `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`, who.token);

  const ada = await register('ada', 'Ada Lovelace');
  const ben = await register('ben', 'Ben Okafor');
  const chloe = await register('chloe', 'Chloé Martin');
  const { room } = await call<{ room: { id: string } }>('POST', '/rooms', ada.token, {
    name: 'design',
    slug: 'design',
    visibility: 'public',
    topic: 'Release 2.4: search, threads, phones',
  });
  for (const who of [ben, chloe]) await call('POST', `/rooms/${room.id}/join`, who.token);
  await call('POST', '/rooms', ada.token, { name: 'releases', slug: 'releases', visibility: 'public' });
  await call('POST', '/rooms', ben.token, {
    name: 'random',
    slug: 'random',
    visibility: 'public',
    topic: 'Everything else',
  });

  const must = (id: string | undefined) => {
    if (!id) throw new Error('a seeded message failed');
    return id;
  };
  const live = must(
    await send(ada, room.id, 'Morning! The **new search** is live: try `v1.2.3` or a piece of a URL 🎉'),
  );
  const url = must(await send(ben, room.id, 'Nice. Does it find example.com/docs/search too?'));
  const list = must(
    await send(
      chloe,
      room.id,
      'Checklist for Friday:\n- search ✅\n- threads polish\n- *phone* screenshots\n\n> ship small, ship often',
    ),
  );
  const code = must(
    await send(ada, room.id, '```ts\nconst hits = await api.search("deploy in:#design");\n```'),
  );
  await send(ben, room.id, '@ada the deploy window is 16:00 UTC, does that work?');
  for (const [who, id, emoji] of [
    [ben, live, '🎉'],
    [chloe, live, '🎉'],
    [chloe, live, '🚀'],
    [ada, url, '👍'],
    [chloe, code, '👀'],
  ] as const) {
    await react(who, id, emoji);
  }
  await send(ben, room.id, 'I will take the phone screenshots.', list);
  await send(ada, room.id, 'Threads polish is mine, PR by Thursday.', list);
  // With PARLEY_TEST_FAULTS=1, a job that fails for good: a row on the Failed jobs page.
  await send(ben, room.id, '#fail:permanent the export bot choked on this one');
  return { base, ada, ben, chloe, roomId: room.id, call };
}
