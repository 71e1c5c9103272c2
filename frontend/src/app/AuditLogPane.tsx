import type { ChatClient } from '../chat/ChatClient';
import { type AuditLogApi, AuditLogPage } from '../features/admin/AuditLogPage';
import type { ChatState } from '../state/ChatStore';

interface AuditLogPaneProps {
  state: ChatState;
  client: ChatClient;
  api: AuditLogApi;
  onOpenMenu: () => void;
}

/** The main pane on the audit log page. */
export function AuditLogPane({ state, client, api, onOpenMenu }: AuditLogPaneProps) {
  return (
    <main id="main" className="pane">
      <AuditLogPage
        isAdmin={state.me.role === 'admin'}
        api={api}
        connection={state.connection}
        onOpenMenu={onOpenMenu}
        onReconnect={() => client.reconnect()}
      />
    </main>
  );
}
