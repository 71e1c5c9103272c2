/**
 * Which sockets each user holds, on every instance: the per-user socket cap and presence are
 * counted here, not per process. A socket is first admitted (it counts against the cap), then
 * online once it has been sent `ready` (it counts for presence), then released when it closes.
 *
 * In one process this is a map; scaled out it lives in Redis, where an instance that dies
 * without releasing its sockets stops counting once its entries expire (the live instances
 * refresh theirs). No method rejects: when the shared store cannot be reached, an
 * implementation answers from what this instance knows and logs it.
 */
export interface ConnectionRegistry {
  /**
   * Admits the socket unless the user already holds `max` sockets; atomic across instances, so
   * concurrent admissions never pass the cap together.
   */
  admit(userId: string, socketId: string, max: number): Promise<boolean>;
  /** The socket was sent `ready`: true when it is the user's only online socket anywhere. */
  goOnline(userId: string, socketId: string): Promise<boolean>;
  /**
   * The socket closed: true when it was online and the user has no online socket left anywhere.
   * Of two concurrent releases of a user's last two sockets exactly one sees true.
   */
  release(userId: string, socketId: string): Promise<boolean>;
  /**
   * Users who had online sockets and now have none, because the instances holding them died
   * without releasing them (their entries expired). Each such user is returned once, to one
   * caller across every instance, so one offline announcement is made.
   */
  wentOffline(): Promise<string[]>;
  /** Which of these users are online now (have an online socket on a live instance). */
  onlineAmong(userIds: string[]): Promise<Set<string>>;
  /** Stops refreshing this instance's entries (they expire unless released). */
  close(): Promise<void>;
}
