import type { ReactNode } from 'react';

interface SidebarSectionProps {
  /** The heading's id, which labels the section. */
  id: string;
  heading: string;
  /** The icon button beside the heading ("Create room", "New message"). */
  addLabel: string;
  addIcon: ReactNode;
  onAdd: () => void;
  children: ReactNode;
}

/** A titled group of the sidebar, with a button beside its heading to add to it. */
export function SidebarSection({ id, heading, addLabel, addIcon, onAdd, children }: SidebarSectionProps) {
  return (
    <section className="sidebar__section" aria-labelledby={id}>
      <div className="sidebar__heading-row">
        <h2 className="sidebar__heading" id={id}>
          {heading}
        </h2>
        <button
          type="button"
          className="icon-button sidebar__add"
          aria-label={addLabel}
          title={addLabel}
          onClick={onAdd}
        >
          {addIcon}
        </button>
      </div>
      {children}
    </section>
  );
}
