import { MessageDto } from './dto/message.dto';
import { MessageEntity, StoredAttachment } from './message.entity';

const RC_FILE_URL = /^\/file-upload\/([^/?#]+)\//;

/** Rocket.Chat's file urls are relative to Rocket.Chat: omnigate serves the file itself. */
function withDownload(roomId: string, a: StoredAttachment): StoredAttachment & { downloadUrl?: string } {
  const fileId = a.kind === 'file' ? a.id : a.url ? RC_FILE_URL.exec(a.url)?.[1] : undefined;
  return fileId ? { ...a, downloadUrl: `/v1/rooms/${roomId}/files/${encodeURIComponent(decodeURIComponent(fileId))}` } : a;
}

/**
 * A live event's data as clients get it (streams, callbacks): a message's attachments carry
 * `downloadUrl` as in the API. The event log keeps what was stored.
 */
export function withDownloadUrls(roomId: string, data: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(data.attachments) || !data.attachments.length) return data;
  return { ...data, attachments: (data.attachments as StoredAttachment[]).map((a) => withDownload(roomId, a)) };
}

/** A message the visitor deleted shows as deleted: no text, no attachments. */
export function toMessageDto(m: MessageEntity): MessageDto {
  const deleted = m.deletedAt !== null && m.deletedAt !== undefined;
  return {
    id: m.id,
    roomId: m.roomId,
    rocketchatMessageId: m.rocketchatMessageId,
    authorType: m.authorType,
    authorName: m.authorName,
    authorUsername: m.authorUsername,
    text: deleted ? '' : m.text,
    attachments: deleted ? [] : m.attachments.map((a) => withDownload(m.roomId, a)),
    systemType: m.systemType,
    sentAt: m.sentAt.toISOString(),
    editedAt: m.editedAt?.toISOString() ?? null,
    deletedAt: m.deletedAt?.toISOString() ?? null,
    deliveryStatus: m.deliveryStatus,
    deliveryError: m.deliveryError,
    sequence: String(m.seq),
  };
}
