import type { AccountsService } from '../core/accounts/accounts-service.js';
import type { AdminService } from '../core/accounts/admin-service.js';
import type { ProfilesService } from '../core/accounts/profiles-service.js';
import type { UserLookup } from '../core/accounts/user-lookup.js';
import type { DirectMessagesService } from '../core/direct-messages/direct-messages-service.js';
import type { FilesService } from '../core/files/files-service.js';
import type { MentionsInbox } from '../core/inbox/mentions-inbox.js';
import type { JobsService } from '../core/jobs/jobs-service.js';
import type { MessagesService } from '../core/messages/messages-service.js';
import type { PermalinksService } from '../core/messages/permalinks-service.js';
import type { PushSubscriptions } from '../core/push/push-subscriptions.js';
import type { ReactionsService } from '../core/reactions/reactions-service.js';
import type { ReceiptsService } from '../core/receipts/receipts-service.js';
import type { MembersService } from '../core/rooms/members-service.js';
import type { NotificationLevels } from '../core/rooms/notification-levels.js';
import type { RoomsService } from '../core/rooms/rooms-service.js';
import type { SearchService } from '../core/search/search-service.js';
import type { ThreadsService } from '../core/threads/threads-service.js';

/** The core's use cases, as the edges (HTTP, WebSocket) call them. */
export interface Services {
  accounts: AccountsService;
  admin: AdminService;
  rooms: RoomsService;
  members: MembersService;
  notifications: NotificationLevels;
  directMessages: DirectMessagesService;
  messages: MessagesService;
  reactions: ReactionsService;
  receipts: ReceiptsService;
  jobs: JobsService;
  files: FilesService;
  threads: ThreadsService;
  search: SearchService;
  permalinks: PermalinksService;
  users: UserLookup;
  profiles: ProfilesService;
  mentions: MentionsInbox;
  push: PushSubscriptions;
}
