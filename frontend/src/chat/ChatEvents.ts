/**
 * What a controller has to tell the ones above it, which it does not know. Each is emitted by
 * one controller and acted on by `ChatClient`, which composes them.
 */
export interface ChatEventMap {
  /**
   * A room is to be opened: one just created or joined it, or opened a DM, or the open room was
   * left and this one takes its place (from `RoomDirectory`).
   */
  roomChosen: { roomId: string };
  /** One is no longer in the room (left it, or was removed): what is held of it goes (from `RoomDirectory`). */
  roomLeft: { roomId: string };
  /** The server no longer knows the session: the chat stops and one is signed out (from any controller). */
  sessionEnded: undefined;
}

type EventName = keyof ChatEventMap;
type Listener<Name extends EventName> = (payload: ChatEventMap[Name]) => void;
/** An event without a payload is emitted with its name alone. */
type PayloadArgs<Name extends EventName> = ChatEventMap[Name] extends undefined ? [] : [ChatEventMap[Name]];

/** A small typed event emitter; listeners run synchronously, in the order they subscribed. */
export class ChatEvents {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  /** Subscribes; the returned function unsubscribes. */
  on<Name extends EventName>(name: Name, listener: Listener<Name>): () => void {
    let listeners = this.listeners.get(name);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(name, listeners);
    }
    const untyped = listener as (payload: unknown) => void;
    listeners.add(untyped);
    return () => listeners.delete(untyped);
  }

  emit<Name extends EventName>(name: Name, ...[payload]: PayloadArgs<Name>): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) listener(payload);
  }
}
