import {
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { createPortal } from 'react-dom';
import { ReactIcon } from '../../ui/Icons';
import { Emoji } from '../emoji/Emoji';
import { QUICK_REACTION_NAMES, QUICK_REACTIONS } from './emoji';
import './reactions.css';

const FullEmojiPicker = lazy(() => import('./FullEmojiPicker'));

interface AddReactionProps {
  onPick: (emoji: string) => void;
  /** The trigger's look: a toolbar icon, or the small chip after existing reactions. */
  variant: 'toolbar' | 'chip';
  /** Emoji already mine: the quick row shows them pressed. */
  mine?: ReadonlySet<string>;
}

/**
 * "Add reaction": a button that opens a small popover with the quick row and, on request, the
 * full picker. The popover is not modal: Escape or a click outside closes it, and focus goes
 * back to the button it came from.
 */
export function AddReaction({ onPick, variant, mine }: AddReactionProps) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) trigger.current?.focus();
  }, []);

  return (
    <>
      <button
        ref={trigger}
        type="button"
        className={
          variant === 'toolbar' ? 'icon-button reaction-trigger' : 'reaction-chip reaction-chip--add'
        }
        aria-label="Add reaction"
        title="Add reaction"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <ReactIcon width={variant === 'toolbar' ? 16 : 15} height={variant === 'toolbar' ? 16 : 15} />
      </button>
      {open && trigger.current ? (
        <ReactionPopover
          anchor={trigger.current}
          mine={mine}
          onClose={close}
          onPick={(emoji) => {
            onPick(emoji);
            close(true);
          }}
        />
      ) : null}
    </>
  );
}

interface ReactionPopoverProps {
  anchor: HTMLElement;
  mine: ReadonlySet<string> | undefined;
  onPick: (emoji: string) => void;
  onClose: (returnFocus: boolean) => void;
}

/** Space kept between the popover and the screen's edges, in px. */
const EDGE = 8;

function ReactionPopover({ anchor, mine, onPick, onClose }: ReactionPopoverProps) {
  const panel = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);

  // Placed by the button, below it when it fits and above otherwise, kept on screen.
  useLayoutEffect(() => {
    const element = panel.current;
    if (!element) return;
    const place = () => {
      const from = anchor.getBoundingClientRect();
      const { width, height } = element.getBoundingClientRect();
      const below = from.bottom + EDGE;
      const top =
        below + height <= window.innerHeight - EDGE ? below : Math.max(EDGE, from.top - EDGE - height);
      const left = Math.min(Math.max(EDGE, from.right - width), window.innerWidth - width - EDGE);
      setPosition({ top, left: Math.max(EDGE, left) });
    };
    place();
    // The full picker grows the panel once loaded: place it again then. (jsdom has no observer.)
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(place);
    observer?.observe(element);
    window.addEventListener('resize', place);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', place);
    };
  }, [anchor]);

  useEffect(() => {
    panel.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (panel.current?.contains(target) || anchor.contains(target)) return;
      // Focus stays where the click put it, unless it was in here.
      const focusInside = panel.current?.contains(document.activeElement) ?? false;
      onClose(focusInside);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('keydown', onKeyDown, true);
    };
  }, [anchor, onClose]);

  const content: ReactNode = (
    <div
      ref={panel}
      className={`reaction-popover${full ? ' reaction-popover--full' : ''}`}
      role="dialog"
      aria-label="Add reaction"
      data-testid="reaction-popover"
      style={
        position ? { top: position.top, left: position.left } : { visibility: 'hidden', top: 0, left: 0 }
      }
    >
      {/* Arrow keys move along the row, as in a toolbar; Tab leaves it for the full picker. */}
      <div
        className="reaction-popover__quick"
        role="toolbar"
        aria-label="Quick reactions"
        onKeyDown={moveAlongRow}
      >
        {QUICK_REACTIONS.map((emoji) => (
          <button
            key={emoji}
            type="button"
            className="reaction-popover__emoji"
            aria-label={`React with ${QUICK_REACTION_NAMES[emoji]}`}
            aria-pressed={mine?.has(emoji) ?? false}
            title={QUICK_REACTION_NAMES[emoji]}
            onClick={() => onPick(emoji)}
          >
            <Emoji emoji={emoji} />
          </button>
        ))}
        {full ? null : (
          <button
            type="button"
            className="reaction-popover__more"
            aria-label="More emoji"
            title="More emoji"
            onClick={() => setFull(true)}
          >
            <PlusGlyph />
          </button>
        )}
      </div>
      {full ? (
        <Suspense
          fallback={
            <div className="reaction-popover__loading">
              <span className="spinner" aria-hidden="true" />
              <span>Loading emoji…</span>
            </div>
          }
        >
          <FullEmojiPicker onPick={onPick} />
        </Suspense>
      ) : null}
    </div>
  );
  return createPortal(content, document.body);
}

function PlusGlyph() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
    </svg>
  );
}

/** ArrowLeft/ArrowRight (and Home/End) move the focus between the row's buttons, wrapping around. */
function moveAlongRow(event: React.KeyboardEvent<HTMLDivElement>) {
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  const next =
    event.key === 'ArrowRight'
      ? (at + 1) % buttons.length
      : event.key === 'ArrowLeft'
        ? (at - 1 + buttons.length) % buttons.length
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? buttons.length - 1
            : undefined;
  if (next === undefined) return;
  event.preventDefault();
  buttons[next]?.focus();
}
