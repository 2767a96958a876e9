import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { viaRocketChat } from '../rocketchat/rocketchat-error.mapper';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { CreateOfflineMessageDto, OfflineMessageDto } from './dto/offline-message.dto';
import { OfflineMessageEntity } from './offline-message.entity';

export function toOfflineMessageDto(e: OfflineMessageEntity): OfflineMessageDto {
  return { id: e.id, name: e.name, email: e.email, message: e.message, department: e.department, source: e.source, sentAt: e.sentAt.toISOString() };
}

@Injectable()
export class OfflineMessagesService {
  constructor(
    @InjectRepository(OfflineMessageEntity) private readonly offline: Repository<OfflineMessageEntity>,
    private readonly rocketchat: RocketChatClient,
  ) {}

  /** Forwarded to Rocket.Chat (which e-mails it), then stored; Rocket.Chat's webhook later confirms it. */
  async create(dto: CreateOfflineMessageDto): Promise<OfflineMessageDto> {
    await viaRocketChat(() => this.rocketchat.sendOfflineMessage(dto));
    const saved = await this.offline.save(
      this.offline.create({ name: dto.name, email: dto.email, message: dto.message, department: dto.department ?? null, source: 'api', sentAt: new Date() }),
    );
    return toOfflineMessageDto(saved);
  }
}
