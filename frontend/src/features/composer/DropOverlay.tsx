/** Shown while files are dragged over the room: where dropping them shares them ("in #general"). */
export function DropOverlay({ where }: { where: string }) {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__card">Drop to share {where}</div>
    </div>
  );
}
