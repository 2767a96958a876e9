import type { StoredAttachment } from '../messages/message.entity';
import type { InboundMessage } from '../messages/message-store';
import type { RcMessage } from '../rocketchat/rocketchat.types';

const CLOSING = 'livechat-close';

/**
 * Which history messages omnigate keeps: what the webhook would have carried, i.e. user messages
 * and the closing message; other system messages (livechat-started, uj, transfer history) are not.
 */
export function isKept(m: RcMessage): boolean {
  return !m.systemType || m.systemType === CLOSING;
}

function attachments(m: RcMessage): StoredAttachment[] {
  return [
    ...m.files.map((f): StoredAttachment => ({ kind: 'file', id: f.id, name: f.name, ...(f.type ? { type: f.type } : {}), ...(f.size !== undefined ? { size: f.size } : {}) })),
    ...m.attachments.map((a): StoredAttachment => {
      const out: StoredAttachment = { kind: 'attachment' };
      if (a.title) out.title = a.title;
      if (a.titleLink ?? a.imageUrl) out.url = a.titleLink ?? a.imageUrl;
      if (a.type) out.type = a.type;
      if (a.description) out.description = a.description;
      return out;
    }),
  ];
}

/** A history message in omnigate's terms; a visitor's message carries the visitor token. */
export function historyMessage(m: RcMessage, visitorUsername: string | null): InboundMessage {
  const byVisitor = !!m.visitorToken || (!!visitorUsername && m.author.username === visitorUsername);
  return {
    rocketchatMessageId: m.id,
    authorType: m.systemType === CLOSING ? 'system' : byVisitor ? 'visitor' : 'agent',
    authorId: m.author.id || null,
    authorUsername: m.author.username || null,
    authorName: m.author.name ?? null,
    text: m.text,
    attachments: attachments(m),
    systemType: m.systemType === CLOSING ? CLOSING : null,
    sentAt: m.createdAt,
    editedAt: m.editedAt ?? null,
  };
}
