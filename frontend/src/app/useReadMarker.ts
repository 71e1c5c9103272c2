import { useState } from 'react';

/**
 * What one had read in the open room when it was opened: its ack cursor at that moment, kept
 * while the room stays open (reading it moves the cursor, but the "New messages" line stays
 * where it was until one opens another room). Undefined until the room list is known.
 */
export function useReadMarker(roomId: string | null, ackSeq: number | undefined): number | undefined {
  const [marker, setMarker] = useState<{ roomId: string | null; seq: number | undefined }>({
    roomId,
    seq: ackSeq,
  });
  if (marker.roomId !== roomId || (marker.seq === undefined && ackSeq !== undefined)) {
    setMarker({ roomId, seq: ackSeq });
    return ackSeq;
  }
  return marker.seq;
}
