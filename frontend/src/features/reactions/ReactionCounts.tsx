import type { Reaction } from '@parley/protocol';
import { Emoji } from '../emoji/Emoji';
import './reactions.css';

/**
 * Reactions to look at, not to press: each emoji with its count, as chips drawn like the
 * timeline's (a search result is one button as a whole, so nothing in it may be a control). The
 * emoji's alt and the count are part of the surrounding control's name: "👍 2 🎉 1".
 */
export function ReactionCounts({ reactions }: { reactions: readonly Reaction[] }) {
  if (reactions.length === 0) return null;
  return (
    <span className="reaction-counts" data-testid="reaction-counts">
      {reactions.map((reaction) => (
        <span key={reaction.emoji} className="reaction-chip reaction-chip--static">
          <span className="reaction-chip__emoji">
            <Emoji emoji={reaction.emoji} />
          </span>
          <span className="reaction-chip__count">{reaction.count}</span>
        </span>
      ))}
    </span>
  );
}
