import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { AllowVisitorSession, RequireScopes } from '../auth/auth.decorators';
import { ROCKETCHAT_ID_PATTERN as ROCKETCHAT_ID } from '../common/http/validators';
import { ConflictError, UnprocessableError, ValidationFailedError } from '../common/errors/domain-errors';
import { idempotencyKeyOf } from '../common/idempotency/idempotency.service';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { EditMessageDto, MessageDto, MessageListQueryDto, MessagePageDto, SendMessageDto } from './dto/message.dto';
import { MessageDeletions } from './message-deletions';
import { MessageEdits } from './message-edits';
import { FilesService } from './files.service';
import { MessagesService, SendOutcome } from './messages.service';
import { readUpload } from './upload.reader';

const ROOM_ID = { name: 'id', description: 'omnigate room id (uuid) or Rocket.Chat room id' };

/**
 * The HTTP answer of a send's outcome: 201 sent, 202 pending; a refusal is an error (409 when
 * Rocket.Chat had closed or lost the room, by now recorded closed; else 422) carrying the stored
 * message and Rocket.Chat's reason in `details`.
 */
function answer(outcome: SendOutcome, reply: FastifyReply): MessageDto {
  if (outcome.result !== 'refused') {
    void reply.status(outcome.result === 'sent' ? 201 : 202);
    return outcome.message;
  }
  const details = { message: outcome.message, rocketchat: { reason: outcome.reason, ...(outcome.detail ? { detail: outcome.detail } : {}) } };
  if (outcome.roomGone) throw new ConflictError(`Rocket.Chat refused the message: ${outcome.reason}; the room is now recorded as closed`, details);
  throw new UnprocessableError(`Rocket.Chat refused the message: ${outcome.reason}`, details);
}

/** `attachment; filename="..."` with a UTF-8 fallback for names beyond ASCII (RFC 6266). */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

@ApiTags('messages')
@RequireScopes('chat:write')
@Controller('v1/rooms/:id')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly edits: MessageEdits,
    private readonly deletions: MessageDeletions,
    private readonly files: FilesService,
  ) {}

  @Post('messages')
  @AllowVisitorSession('room')
  @ApiOperation({
    summary: "Send the visitor's message",
    description:
      "Stored and queued in one transaction, then delivered to Rocket.Chat with omnigate's message id as Rocket.Chat's `_id` (a retry can never create a second message). " +
      '201 `sent`; 202 `pending` when Rocket.Chat is unavailable (retried with capped exponential backoff until it lands). ' +
      'A room omnigate knows is closed: 409 and nothing is stored. A refusal from Rocket.Chat stores the message as `failed` and answers it in `details` with Rocket.Chat\'s reason: ' +
      '409 when Rocket.Chat had closed or lost the room (omnigate then records the room closed and ends its pending messages failed; POST /v1/rooms opens a new one), 422 otherwise. ' +
      'With an `Idempotency-Key`, a repeat with the same body gets the first answer; with another body, 422.',
  })
  @ApiParam(ROOM_ID)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1-255 printable ASCII characters, kept 24 h per API key' })
  @ApiCreatedResponse({ type: MessageDto, description: 'Delivered to Rocket.Chat' })
  @ApiAcceptedResponse({ type: MessageDto, description: 'Stored; Rocket.Chat unavailable: delivery will be retried' })
  @ApiErrors(400, 404, [409, 'The room is closed (here, or in Rocket.Chat: then recorded closed)'], [422, 'Rocket.Chat refused the message, or the Idempotency-Key was used with another body'])
  async send(
    @Param('id') id: string,
    @Body() dto: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    const key = idempotencyKeyOf(idempotencyKey);
    return answer(await this.messages.send(id, dto, req.principal!.keyId, key), reply);
  }

  @Patch('messages/:messageId')
  @ApiOperation({
    summary: "Edit the visitor's message",
    description:
      "The visitor's own message gets a new text (the whole text: links sent as attachments were part of it). " +
      'A message still `pending` is edited before it is delivered (still exactly one message in Rocket.Chat); a delivered one is edited in Rocket.Chat first ' +
      '(`PUT livechat/message/:_id`; Rocket.Chat may refuse it, for instance with `Message_AllowEditing` off: 422 with its reason). ' +
      "The version it replaces stays in the room's history (a `message_edited` event of the transcript) and a `message.edited` live event goes out. " +
      'The same text again changes nothing (200).',
  })
  @ApiParam(ROOM_ID)
  @ApiParam({ name: 'messageId', description: "omnigate's message id", example: '0b7c3d1e-6f4a-4b8e-9a53-2c1d7e8f9a01' })
  @ApiBody({ type: EditMessageDto, examples: { edit: { value: { text: 'Olá, meu pedido 48213 não chegou' } } } })
  @ApiOkResponse({ type: MessageDto, description: 'The message as edited' })
  @ApiErrors(
    400,
    [403, "Not the visitor's message (an agent's or a system message)"],
    [404, 'No such room, or no such message in it'],
    [409, 'The room is closed, or the message was refused by Rocket.Chat (never delivered) or deleted'],
    [422, 'Rocket.Chat refused the edit'],
    503,
  )
  edit(@Param('id') id: string, @Param('messageId') messageId: string, @Body() dto: EditMessageDto): Promise<MessageDto> {
    return this.edits.edit(id, messageId, dto.text);
  }

  @Delete('messages/:messageId')
  @ApiOperation({
    summary: "Delete the visitor's message",
    description:
      "The visitor's own message, in Rocket.Chat first (`DELETE livechat/message/:_id`; Rocket.Chat may refuse, for instance with `Message_AllowDeleting` off: 422 with its reason), then here. " +
      "omnigate keeps the text for audit (in PostgreSQL: `messages.text` and the room's `message_deleted` history event) and shows the message as deleted: `deletedAt` set, empty text and attachments " +
      'in the conversation and the transcript (txt: `[message deleted]`), out of search; a `message.deleted` live event goes out. ' +
      'A message still `pending` is refused (409: delete it once sent); one Rocket.Chat refused (never delivered) is deleted here only. Deleting it again changes nothing (200).',
  })
  @ApiParam(ROOM_ID)
  @ApiParam({ name: 'messageId', description: "omnigate's message id", example: '0b7c3d1e-6f4a-4b8e-9a53-2c1d7e8f9a01' })
  @ApiOkResponse({ type: MessageDto, description: 'The message, deleted' })
  @ApiErrors(
    400,
    [403, "Not the visitor's message (an agent's or a system message)"],
    [404, 'No such room, or no such message in it'],
    [409, 'The room is closed, or the message is still being delivered'],
    [422, 'Rocket.Chat refused the deletion'],
    503,
  )
  remove(@Param('id') id: string, @Param('messageId') messageId: string): Promise<MessageDto> {
    return this.deletions.delete(id, messageId);
  }

  @Get('messages')
  @ApiOperation({ summary: 'Read the conversation', description: 'Visitor, agent and system messages in order; cursor pagination; `after` for what is new since a message.' })
  @ApiParam(ROOM_ID)
  @ApiOkResponse({ type: MessagePageDto })
  @ApiErrors(400, 404)
  list(@Param('id') id: string, @Query() query: MessageListQueryDto): Promise<MessagePageDto> {
    return this.messages.list(id, query);
  }

  @Get('files/:fileId')
  @AllowVisitorSession('room')
  @ApiOperation({
    summary: "Download a file of the room",
    description:
      "A file sent in this room (by an agent or the visitor), streamed from Rocket.Chat as the room's visitor: Rocket.Chat's own urls (`/file-upload/...`) are relative and need Rocket.Chat credentials. " +
      "Messages' attachments carry the path as `downloadUrl`. An API key (chat:write) reads any room's files; a visitor session token (as the bearer, or `?access_token=ogs_...` for a link) only its own rooms'.",
  })
  @ApiParam(ROOM_ID)
  @ApiParam({ name: 'fileId', description: "Rocket.Chat's file id" })
  @ApiQuery({ name: 'access_token', required: false, description: 'a visitor session token' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, with its content type' })
  @ApiErrors(400, [404, 'No such file in this room'], [409, 'Rocket.Chat no longer knows the room'], 503)
  async download(@Param('id') id: string, @Param('fileId') fileId: string): Promise<StreamableFile> {
    if (!ROCKETCHAT_ID.test(fileId)) throw new ValidationFailedError([{ field: 'fileId', errors: ['fileId must be a Rocket.Chat file id'] }]);
    const { file, name } = await this.files.download(id, fileId);
    return new StreamableFile(file.stream, { type: file.contentType, length: file.length, disposition: contentDisposition(name) });
  }

  @Post('files')
  @AllowVisitorSession('room')
  @ApiOperation({
    summary: "Upload a visitor's file",
    description: "Multipart field `file` (+ optional `msg`, `description`), forwarded to Rocket.Chat's upload endpoint and recorded as a message with its attachment. Not queued: 503 when Rocket.Chat is unavailable.",
  })
  @ApiParam(ROOM_ID)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, msg: { type: 'string' }, description: { type: 'string' } },
    },
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiErrors(400, 404, [409, 'The room is closed'], 413, 422, 503)
  async upload(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<MessageDto> {
    return this.files.upload(id, await readUpload(req));
  }
}
