import { normaliseReason } from '../../../src/rocketchat/rocketchat.errors';

describe('Rocket.Chat error reasons', () => {
  it.each([
    [{ success: false, error: 'invalid-token' }, 'invalid-token'],
    [{ success: false, error: '[invalid-token]', errorType: 'invalid-token' }, 'invalid-token'],
    [{ success: false, error: 'Sorry, no online agents [no-agent-online]', errorType: 'no-agent-online' }, 'no-agent-online'],
    [{ success: false, error: 'Sorry, no online agents [no-agent-online]' }, 'no-agent-online'],
    [{ success: false, reason: 'error-type-not-allowed' }, 'error-type-not-allowed'],
    [{ success: false }, 'unknown'],
    ['404 Not Found', 'unknown'],
    // 8.x's visitor/department.transfer names the same facts differently
    [{ success: false, error: 'error-invalid-room' }, 'invalid-room'],
    [{ success: false, error: 'This_conversation_is_already_closed' }, 'room-closed'],
    [{ success: false, error: 'error-invalid-visitor' }, 'invalid-token'],
    [{ success: false, error: 'error-transfering-chat' }, 'transfer-failed'],
    [{ success: false, error: 'error-transefing-chat' }, 'transfer-failed'],
  ])('%j → %s', (body, reason) => {
    expect(normaliseReason(body).reason).toBe(reason);
  });

  it("keeps Rocket.Chat's own text as the detail, and only a code-like text as a reason", () => {
    expect(normaliseReason({ success: false, error: 'Sorry, no online agents [no-agent-online]' })).toEqual({
      reason: 'no-agent-online',
      detail: 'Sorry, no online agents [no-agent-online]',
    });
    expect(normaliseReason({ success: false, error: 'Something went wrong.' })).toEqual({ reason: 'unknown', detail: 'Something went wrong.' });
    expect(normaliseReason({ success: false, error: 'error-invalid-room' })).toEqual({ reason: 'invalid-room', detail: 'error-invalid-room' });
    expect(normaliseReason({ success: false, errorType: 'error-message-editing-blocked', error: 'Editing is blocked' })).toEqual({
      reason: 'error-message-editing-blocked',
      detail: 'Editing is blocked',
    });
    // an empty errorType is no code: the text is read instead
    expect(normaliseReason({ errorType: '', error: 'room-closed' })).toEqual({ reason: 'room-closed', detail: 'room-closed' });
    for (const body of [null, undefined, 42, [], { error: 7 }, { error: '' }]) expect(normaliseReason(body)).toEqual({ reason: 'unknown' });
  });
});
