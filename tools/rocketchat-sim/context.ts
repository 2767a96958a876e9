import type { RoomEvents } from './events';
import type { MessageService } from './messages';
import type { VersionProfile } from './profile';
import type { RoomLifecycle } from './rooms';
import type { SimStore } from './store';
import type { ApiUser } from './types';

/** What the REST and control routes share. */
export interface SimContext {
  store: SimStore;
  rooms: RoomLifecycle;
  messages: MessageService;
  events: RoomEvents;
  visitorCustomFields: string[];
  maxUploadBytes: number;
  /** what differs by the Rocket.Chat version played */
  profile: VersionProfile;
  /** Message_AllowEditing / Message_AllowDeleting */
  messageEditing: boolean;
  messageDeleting: boolean;
  apiUsers: ApiUser[];
}
