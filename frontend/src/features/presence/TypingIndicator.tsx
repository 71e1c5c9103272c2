import type { UserRef } from '@parley/protocol';

/** "Ada is typing…", "Ada and Bo are typing…", "Several people are typing…". */
export function describeTypists(typists: readonly UserRef[]): string {
  const [first, second] = typists;
  if (!first) return '';
  if (!second) return `${first.displayName} is typing…`;
  if (typists.length === 2) return `${first.displayName} and ${second.displayName} are typing…`;
  return 'Several people are typing…';
}

/**
 * Who is typing in the open room, under the timeline. The line keeps its height when empty so
 * the composer does not jump; a polite live region says it once per change.
 */
export function TypingIndicator({ typists }: { typists: readonly UserRef[] }) {
  const text = describeTypists(typists);
  return (
    <div className="typing-indicator" data-testid="typing-indicator" aria-live="polite">
      {text ? (
        <>
          <span className="typing-indicator__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>{text}</span>
        </>
      ) : null}
    </div>
  );
}
