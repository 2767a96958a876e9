import { MessageDto } from './dto/message.dto';
import { MessageEntity } from './message.entity';

export function toMessageDto(m: MessageEntity): MessageDto {
  return {
    id: m.id,
    roomId: m.roomId,
    rocketchatMessageId: m.rocketchatMessageId,
    authorType: m.authorType,
    authorName: m.authorName,
    authorUsername: m.authorUsername,
    text: m.text,
    attachments: m.attachments,
    systemType: m.systemType,
    sentAt: m.sentAt.toISOString(),
    editedAt: m.editedAt?.toISOString() ?? null,
    deliveryStatus: m.deliveryStatus,
    deliveryError: m.deliveryError,
    sequence: String(m.seq),
  };
}
