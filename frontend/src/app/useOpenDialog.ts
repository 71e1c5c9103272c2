import { useCallback, useEffect, useState } from 'react';

export type ChatDialog = 'create' | 'browse' | 'dm' | 'members' | 'edit' | 'settings' | 'leave' | 'switcher';

/** Which dialog is open over the chat (one at a time). */
export function useOpenDialog(roomId: string | null) {
  const [dialog, setDialog] = useState<ChatDialog | null>(null);
  const openDialog = useCallback((next: ChatDialog) => setDialog(next), []);
  const closeDialog = useCallback(() => setDialog(null), []);

  // A dialog about the open room closes when one leaves it (or is removed from it).
  useEffect(() => {
    void roomId;
    setDialog((open) => (open === 'members' || open === 'edit' || open === 'leave' ? null : open));
  }, [roomId]);

  return { dialog, openDialog, closeDialog };
}
