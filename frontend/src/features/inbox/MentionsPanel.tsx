/**
 * The Mentions panel: messages across one's rooms that call on one (`@name`, `@room`, `@here`)
 * or answer one (a reply to one's message, a reply in a thread one took part in), newest
 * first, the unread ones marked. A click opens the message at its permalink. Beside the
 * timeline on a wide screen, over everything on a phone (the search panel's place and look).
 */
import type { MentionItem, MentionReason, MentionsResponse } from '@parley/protocol';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/ApiClient';
import { describeError } from '../../api/ApiError';
import { CloseIcon, FileIcon } from '../../ui/Icons';
import { plainText } from '../notifications/plainText';
import { ResultMeta, ResultRoom } from '../search/ResultParts';
import { isPlainClick } from '../sidebar/isPlainClick';
import '../search/search.css';
import './inbox.css';

export type MentionsApi = Pick<ApiClient, 'mentions'>;

type Outcome =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'done'; response: MentionsResponse; loadingMore: boolean };

const REASONS: Record<MentionReason, string> = {
  mention: 'Mentioned you',
  room: 'Mentioned everyone',
  reply: 'Replied to you',
  thread: 'Replied in your thread',
};

interface MentionsPanelProps {
  api: MentionsApi;
  onOpen: (item: MentionItem) => void;
  onClose: () => void;
}

export function MentionsPanel({ api, onOpen, onClose }: MentionsPanelProps) {
  const [outcome, setOutcome] = useState<Outcome>({ state: 'loading' });
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    setOutcome({ state: 'loading' });
    try {
      setOutcome({ state: 'done', response: await api.mentions(), loadingMore: false });
    } catch (error) {
      setOutcome({ state: 'error', message: describeError(error) });
    }
  }, [api]);

  useEffect(() => {
    heading.current?.focus();
    void load();
  }, [load]);

  async function more() {
    if (outcome.state !== 'done' || !outcome.response.nextCursor) return;
    setOutcome({ ...outcome, loadingMore: true });
    try {
      const next = await api.mentions({ before: outcome.response.nextCursor });
      setOutcome({
        state: 'done',
        loadingMore: false,
        response: { ...next, items: [...outcome.response.items, ...next.items] },
      });
    } catch (error) {
      setOutcome({ state: 'error', message: describeError(error) });
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  return (
    <aside
      className="search-panel mentions-panel"
      aria-labelledby="mentions-panel-title"
      onKeyDown={onKeyDown}
    >
      <header className="search-panel__header">
        <h2 id="mentions-panel-title" className="mentions-panel__title" tabIndex={-1} ref={heading}>
          Mentions
          {outcome.state === 'done' && outcome.response.unreadCount > 0 ? (
            <span className="mentions-panel__count">{unreadLabel(outcome.response.unreadCount)} unread</span>
          ) : null}
        </h2>
        <button type="button" className="icon-button" aria-label="Close mentions" onClick={onClose}>
          <CloseIcon width={16} height={16} />
        </button>
      </header>
      <div className="search-panel__body" aria-live="polite" aria-busy={outcome.state === 'loading'}>
        <Body outcome={outcome} onOpen={onOpen} onMore={() => void more()} onRetry={() => void load()} />
      </div>
    </aside>
  );
}

/** `99+` past the server's cap. */
export const unreadLabel = (count: number): string => (count >= 100 ? '99+' : String(count));

function Body({
  outcome,
  onOpen,
  onMore,
  onRetry,
}: {
  outcome: Outcome;
  onOpen: (item: MentionItem) => void;
  onMore: () => void;
  onRetry: () => void;
}) {
  switch (outcome.state) {
    case 'loading':
      return (
        <p className="search-panel__status">
          <span className="spinner" aria-hidden="true" /> Loading mentions…
        </p>
      );
    case 'error':
      return (
        <div className="search-panel__status search-panel__status--error" role="alert">
          <p>{outcome.message}</p>
          <button type="button" className="button button--ghost button--small" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
    case 'done': {
      const { response, loadingMore } = outcome;
      if (response.items.length === 0) {
        return (
          <div className="mentions-panel__empty">
            <p className="mentions-panel__empty-title">Nothing for you yet</p>
            <p>When someone writes @your-name, @room or @here, or replies to you, it shows up here.</p>
          </div>
        );
      }
      return (
        <>
          <ol className="search-results">
            {response.items.map((item) => (
              <li key={item.message.id}>
                <MentionEntry item={item} onOpen={onOpen} />
              </li>
            ))}
          </ol>
          {response.hasMore ? (
            <button type="button" className="search-panel__more" onClick={onMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Show older mentions'}
            </button>
          ) : null}
        </>
      );
    }
  }
}

function MentionEntry({ item, onOpen }: { item: MentionItem; onOpen: (item: MentionItem) => void }) {
  const { message, room } = item;
  return (
    <a
      href={item.permalink}
      className={`search-result mention-entry${item.unread ? ' mention-entry--unread' : ''}`}
      onClick={(event) => {
        if (!isPlainClick(event)) return;
        event.preventDefault();
        onOpen(item);
      }}
      data-testid="mention-entry"
    >
      <ResultRoom room={room}>
        <span className="mention-entry__reason">{REASONS[item.reason]}</span>
      </ResultRoom>
      <ResultMeta message={message}>
        {item.unread ? <span className="mention-entry__dot" role="img" aria-label="Unread" /> : null}
      </ResultMeta>
      <span className="search-result__text">
        {message.text ? plainText(message.text, 280) : null}
        {message.attachment ? (
          <span className="search-result__file">
            <FileIcon width={13} height={13} />
            {message.attachment.fileName}
          </span>
        ) : null}
      </span>
    </a>
  );
}
