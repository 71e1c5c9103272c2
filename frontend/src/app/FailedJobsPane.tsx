import type { ChatClient } from '../chat/ChatClient';
import { type DeadLetterApi, DeadLetterPage } from '../features/admin/DeadLetterPage';
import type { ChatState } from '../state/ChatStore';
import { roomLabel } from '../util/roomLabel';

interface FailedJobsPaneProps {
  state: ChatState;
  client: ChatClient;
  api: DeadLetterApi;
  onOpenMenu: () => void;
}

/** The main pane on the failed jobs page, its rooms named as the sidebar names them. */
export function FailedJobsPane({ state, client, api, onOpenMenu }: FailedJobsPaneProps) {
  const roomName = (roomId: string) => {
    const known = state.rooms.find((candidate) => candidate.id === roomId);
    if (!known) return undefined;
    const label = roomLabel(known, state.me, state.members[roomId]);
    return known.visibility === 'dm' ? label : `#${label}`;
  };
  return (
    <main id="main" className="pane">
      <DeadLetterPage
        isAdmin={state.me.role === 'admin'}
        api={api}
        roomName={roomName}
        connection={state.connection}
        onOpenMenu={onOpenMenu}
        onReconnect={() => client.reconnect()}
      />
    </main>
  );
}
