/**
 * The search results panel: a query field, then the matching messages of every room one is in,
 * newest first, each with its room, author, time and the matched parts marked. Beside the
 * timeline on a wide screen, over everything on a phone.
 */
import type { SearchResponse, SearchResult } from '@parley/protocol';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/ApiClient';
import { describeError } from '../../api/ApiError';
import { CloseIcon, FileIcon, SearchIcon } from '../../ui/Icons';
import { ReactionCounts } from '../reactions/ReactionCounts';
import { HighlightedText } from './HighlightedText';
import { ResultMeta, ResultRoom } from './ResultParts';
import './search.css';

export type SearchApi = Pick<ApiClient, 'search'>;

export const SEARCH_INPUT_ID = 'search-input';

type Outcome =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'done'; query: string; response: SearchResponse; loadingMore: boolean };

interface SearchPanelProps {
  api: SearchApi;
  onOpen: (result: SearchResult) => void;
  onClose: () => void;
}

const FILTER_HINTS: [string, string][] = [
  ['from:ann', 'written by ann'],
  ['in:#general', 'in one room'],
  ['has:file', 'with a file'],
  ['before:2026-01-31', 'or after: a day'],
  ['"two words"', 'an exact phrase'],
];

export function SearchPanel({ api, onOpen, onClose }: SearchPanelProps) {
  const [query, setQuery] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  // Answers to an older query (typed over since) are dropped.
  const latest = useRef(0);

  useEffect(() => {
    input.current?.focus();
  }, []);

  async function run(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (q === '') return;
    const ticket = ++latest.current;
    setOutcome({ state: 'loading' });
    try {
      const response = await api.search(q);
      if (ticket === latest.current) setOutcome({ state: 'done', query: q, response, loadingMore: false });
    } catch (error) {
      if (ticket === latest.current) setOutcome({ state: 'error', message: describeError(error) });
    }
  }

  async function more() {
    if (outcome.state !== 'done' || !outcome.response.nextCursor) return;
    const ticket = latest.current;
    setOutcome({ ...outcome, loadingMore: true });
    try {
      const next = await api.search(outcome.query, { before: outcome.response.nextCursor });
      if (ticket !== latest.current) return;
      setOutcome({
        ...outcome,
        loadingMore: false,
        response: { ...next, results: [...outcome.response.results, ...next.results] },
      });
    } catch (error) {
      if (ticket === latest.current) setOutcome({ state: 'error', message: describeError(error) });
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  return (
    <aside className="search-panel" aria-labelledby="search-panel-title" onKeyDown={onKeyDown}>
      <header className="search-panel__header">
        <h2 id="search-panel-title" className="visually-hidden">
          Search messages
        </h2>
        <search className="search-panel__form">
          <form onSubmit={run}>
            <label htmlFor={SEARCH_INPUT_ID} className="visually-hidden">
              Search messages
            </label>
            <SearchIcon className="search-panel__glass" width={16} height={16} />
            <input
              ref={input}
              id={SEARCH_INPUT_ID}
              className="search-panel__input"
              type="search"
              placeholder="Search messages"
              autoComplete="off"
              spellCheck={false}
              enterKeyHint="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          </form>
        </search>
        <button type="button" className="icon-button" aria-label="Close search" onClick={onClose}>
          <CloseIcon width={16} height={16} />
        </button>
      </header>
      <div className="search-panel__body" aria-live="polite" aria-busy={outcome.state === 'loading'}>
        <Body outcome={outcome} onOpen={onOpen} onMore={() => void more()} />
      </div>
    </aside>
  );
}

function Body({
  outcome,
  onOpen,
  onMore,
}: {
  outcome: Outcome;
  onOpen: (result: SearchResult) => void;
  onMore: () => void;
}) {
  switch (outcome.state) {
    case 'idle':
      return (
        <div className="search-panel__hints">
          <p>Find any part of a word, a link or a version number in every room you are in.</p>
          <dl>
            {FILTER_HINTS.map(([example, meaning]) => (
              <div key={example}>
                <dt>
                  <code>{example}</code>
                </dt>
                <dd>{meaning}</dd>
              </div>
            ))}
          </dl>
        </div>
      );
    case 'loading':
      return (
        <p className="search-panel__status">
          <span className="spinner" aria-hidden="true" /> Searching…
        </p>
      );
    case 'error':
      return (
        <p className="search-panel__status search-panel__status--error" role="alert">
          {outcome.message}
        </p>
      );
    case 'done': {
      const { response, query, loadingMore } = outcome;
      if (response.results.length === 0) {
        return <p className="search-panel__status">No messages match “{query}”.</p>;
      }
      return (
        <>
          <p className="visually-hidden">
            {response.results.length}
            {response.hasMore ? ' or more' : ''} results
          </p>
          <ol className="search-results">
            {response.results.map((result) => (
              <li key={result.message.id}>
                <ResultItem result={result} terms={response.terms} onOpen={onOpen} />
              </li>
            ))}
          </ol>
          {response.hasMore ? (
            <button type="button" className="search-panel__more" onClick={onMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Show older results'}
            </button>
          ) : null}
        </>
      );
    }
  }
}

function ResultItem({
  result,
  terms,
  onOpen,
}: {
  result: SearchResult;
  terms: readonly string[];
  onOpen: (result: SearchResult) => void;
}) {
  const { message, room } = result;
  return (
    <button
      type="button"
      className="search-result"
      onClick={() => onOpen(result)}
      data-testid="search-result"
    >
      <ResultRoom room={room} />
      <ResultMeta message={message} />
      <span className="search-result__text">
        {message.text ? <HighlightedText text={message.text} terms={terms} /> : null}
        {message.attachment ? (
          <span className="search-result__file">
            <FileIcon width={13} height={13} />
            <HighlightedText text={message.attachment.fileName} terms={terms} />
          </span>
        ) : null}
      </span>
      {message.reactions ? <ReactionCounts reactions={message.reactions} /> : null}
    </button>
  );
}
