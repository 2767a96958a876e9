import { HttpStatus } from '@nestjs/common';
import { RocketChatRejectedError, RocketChatUnavailableError } from './rocketchat.errors';
import { ApiError, ServiceUnavailableError } from '../common/errors/domain-errors';

const STATUS_BY_REASON: Record<string, HttpStatus> = {
  'invalid-token': HttpStatus.NOT_FOUND,
  'invalid-room': HttpStatus.NOT_FOUND,
  'room-closed': HttpStatus.CONFLICT,
  'visitor-has-open-rooms': HttpStatus.CONFLICT,
  'no-agent-online': HttpStatus.CONFLICT,
  'error-no-agents-online-in-department': HttpStatus.CONFLICT,
  'error-forwarding-chat-same-department': HttpStatus.CONFLICT,
  // a forward to an agent (livechat/room.forward): Rocket.Chat names any agent it cannot find online so
  'error-user-is-offline': HttpStatus.CONFLICT,
  'error-selected-agent-room-agent-are-same': HttpStatus.CONFLICT,
};

const MESSAGE_BY_REASON: Record<string, string> = {
  'invalid-token': 'Rocket.Chat does not know this visitor',
  'invalid-room': 'Rocket.Chat does not know this room for this visitor',
  'room-closed': 'The room is closed',
  'visitor-has-open-rooms': 'The visitor still has an open room: close it first',
  'no-agent-online': 'No agent is online and Rocket.Chat does not queue chats',
  'error-invalid-department': 'Rocket.Chat has no such department',
  'transfer-failed': 'Rocket.Chat could not transfer the room',
  'error-user-is-offline': 'The agent is not online in Rocket.Chat (or no such agent)',
  'error-selected-agent-room-agent-are-same': 'This agent already serves the room',
};

/** Details every Rocket.Chat refusal carries: its own reason, kept as sent. */
export function rocketChatDetails(error: RocketChatRejectedError): { rocketchat: { reason: string; detail?: string; status: number } } {
  return { rocketchat: { reason: error.reason, ...(error.detail ? { detail: error.detail } : {}), status: error.status } };
}

/**
 * Rocket.Chat's answer → omnigate's: a refusal becomes 404/409/422 with Rocket.Chat's reason in
 * `details`, an outage 503 with Retry-After. Anything else is rethrown untouched.
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof RocketChatRejectedError) {
    const status = STATUS_BY_REASON[error.reason] ?? HttpStatus.UNPROCESSABLE_ENTITY;
    // an authenticated route (room.forward, the department list) refusing the configured user
    const message =
      MESSAGE_BY_REASON[error.reason] ??
      (error.status === 401
        ? "Rocket.Chat refused omnigate's credentials (ROCKETCHAT_USER_ID, ROCKETCHAT_AUTH_TOKEN)"
        : error.status === 403 && /permission/i.test(error.detail ?? '')
          ? "Rocket.Chat's user for omnigate lacks a permission this call needs (see details)"
          : `Rocket.Chat refused: ${error.reason}`);
    return new ApiError(status, message, rocketChatDetails(error));
  }
  if (error instanceof RocketChatUnavailableError) {
    return new ServiceUnavailableError('Rocket.Chat is unavailable; retry later', (error.retryAfterMs ?? 5000) / 1000, {
      rocketchat: { problem: error.problem, ...(error.status ? { status: error.status } : {}) },
    });
  }
  return error;
}

/** Runs a Rocket.Chat call and translates its failure. */
export async function viaRocketChat<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}
