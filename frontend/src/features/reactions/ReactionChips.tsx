import type { Reaction } from '@parley/protocol';
import { useId } from 'react';
import { Emoji } from '../emoji/Emoji';
import { reactorsLabel } from './emoji';
import './reactions.css';

interface ReactionChipsProps {
  reactions: Reaction[];
  meId: string | undefined;
  /** Adds one's reaction with this emoji, or takes it back. */
  onToggle: (emoji: string) => void;
  /** The add-reaction control drawn after the chips, when the message takes reactions. */
  children?: React.ReactNode;
}

/** The reactions under a message: one chip per emoji with its count; pressed when one is mine. */
export function ReactionChips({ reactions, meId, onToggle, children }: ReactionChipsProps) {
  return (
    <ul className="reactions" aria-label="Reactions">
      {reactions.map((reaction) => (
        <li key={reaction.emoji}>
          <ReactionChip reaction={reaction} meId={meId} onToggle={onToggle} />
        </li>
      ))}
      {children ? <li>{children}</li> : null}
    </ul>
  );
}

function ReactionChip({
  reaction,
  meId,
  onToggle,
}: {
  reaction: Reaction;
  meId: string | undefined;
  onToggle: (emoji: string) => void;
}) {
  const tooltipId = useId();
  const mine = reaction.users.some((user) => user.id === meId);
  const who = reactorsLabel(reaction, meId);
  return (
    <button
      type="button"
      className={`reaction-chip${mine ? ' reaction-chip--mine' : ''}`}
      aria-pressed={mine}
      aria-label={`${reaction.emoji} ${reaction.count}`}
      aria-describedby={tooltipId}
      data-testid="reaction-chip"
      data-emoji={reaction.emoji}
      onClick={() => onToggle(reaction.emoji)}
    >
      <span className="reaction-chip__emoji" aria-hidden="true">
        <Emoji emoji={reaction.emoji} />
      </span>
      <span className="reaction-chip__count" aria-hidden="true">
        {reaction.count}
      </span>
      <span className="reaction-chip__who" role="tooltip" id={tooltipId}>
        {who}
      </span>
    </button>
  );
}
