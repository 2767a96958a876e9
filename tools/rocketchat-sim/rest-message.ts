import type { SimContext } from './context';
import { bareFailure, plainError, RestError } from './errors';
import { restMessage, sentMessage } from './payloads';
import { success, type Router } from './router';
import { visitorOf, visitorRoom } from './rest-room';
import { asObject, text } from './validate';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function addMessageRoutes(router: Router, sim: SimContext): void {
  router.add('POST', 'livechat/message', async (ctx) => {
    const body = asObject(ctx.body) ?? {};
    const [token, rid, msg, _id] = [body.token, body.rid, body.msg, body._id].map(text);
    const visitor = visitorOf(sim, token);
    const room = visitorRoom(sim, rid ?? '', visitor);
    if (!room.open) throw plainError('room-closed');
    // Repeated `_id`: newest Rocket.Chat throws a TypeError ("Cannot convert undefined or null to
    // object"); the shared fixture, which the contract tests follow, is a bare `{ success:false }`.
    if (_id && sim.store.message(_id)) throw bareFailure();
    const message = await sim.messages.fromVisitor(room, visitor, { msg: msg!, _id });
    return success({ message: sentMessage(message) });
  });

  router.add('GET', 'livechat/message/:_id', (ctx) => {
    const visitor = visitorOf(sim, ctx.query.get('token') ?? undefined);
    const room = visitorRoom(sim, ctx.query.get('rid') ?? '', visitor);
    const message = sim.store.messages(room._id).find((m) => m._id === ctx.params._id);
    if (!message) throw plainError('invalid-message');
    return success({ message: restMessage(message) });
  });

  router.add('GET', 'livechat/messages.history/:rid', (ctx) => {
    const query = Object.fromEntries(ctx.query) as Record<string, string | undefined>;
    const visitor = visitorOf(sim, query.token);
    const room = visitorRoom(sim, ctx.params.rid!, visitor);
    const end = query.end ? new Date(query.end) : undefined;
    const limit = query.limit !== undefined ? parseInt(query.limit, 10) : 20;
    const offset = query.offset !== undefined ? parseInt(query.offset, 10) || 0 : 0;
    const newestFirst = [...sim.store.messages(room._id)]
      .filter((m) => !end || Number.isNaN(end.getTime()) || m.ts.getTime() < end.getTime())
      .sort((a, b) => b.ts.getTime() - a.ts.getTime());
    // Mongo: limit 0 (or NaN) means no limit.
    const page = newestFirst.slice(offset, limit > 0 ? offset + limit : undefined);
    return success({ messages: page.map(restMessage) });
  });

  router.add('POST', 'livechat/offline.message', (ctx) => {
    const body = asObject(ctx.body) ?? {};
    const [name, email, message] = [body.name, body.email, body.message].map((v) => text(v) ?? '');
    // Newest Rocket.Chat turns every failure here into one translated text without a code.
    if (!EMAIL.test(email!)) throw new RestError(400, { success: false, error: 'Error sending Omnichannel offline message' });
    void sim.events.offlineMessage({ name: name!, email: email!, message: message! });
    return success({ message: 'Livechat offline message sent' });
  });

  router.add('GET', 'livechat/config', (ctx) => {
    const token = ctx.query.get('token') ?? undefined;
    const department = ctx.query.get('department') ?? undefined;
    return success({ config: widgetConfig(sim, token, department) });
  });
}

function widgetConfig(sim: SimContext, token: string | undefined, department: string | undefined): Record<string, unknown> {
  const { store } = sim;
  const online = [...store.agents.values()].some((a) => a.status === 'online' && (!department || a.departmentIds.includes(department)));
  const guest = token ? store.visitorByToken(token) : undefined;
  const room = guest ? store.openRoomOf(guest.token) : undefined;
  const agent = room?.servedBy ? store.agentById(room.servedBy._id) : undefined;
  return JSON.parse(
    JSON.stringify({
      enabled: true,
      settings: {
        registrationForm: true,
        allowSwitchingDepartments: true,
        nameFieldRegistrationForm: true,
        emailFieldRegistrationForm: true,
        displayOfflineForm: true,
        videoCall: false,
        fileUpload: true,
        language: '',
        transcript: false,
        historyMonitorType: 'url',
        forceAcceptDataProcessingConsent: false,
        showConnecting: false,
        agentHiddenInfo: false,
        clearLocalStorageWhenChatEnded: false,
        limitTextLength: false,
        hiddenSystemMessages: [],
        visitorsCanCloseChat: true,
      },
      theme: { title: 'Rocket.Chat', color: '#C1272D', offlineTitle: 'Leave a message', offlineColor: '#666666', position: 'right', background: '', actionLinks: { webrtc: [], jitsi: [] } },
      messages: {
        offlineMessage: '',
        offlineSuccessMessage: '',
        offlineUnavailableMessage: '',
        conversationFinishedMessage: '',
        conversationFinishedText: '',
        transcriptMessage: '',
        registrationFormMessage: '',
        dataProcessingConsentText: '',
      },
      survey: { items: ['satisfaction', 'agentKnowledge', 'agentResposiveness', 'agentFriendliness'], values: ['1', '2', '3', '4', '5'] },
      triggers: [],
      // api/lib/livechat.ts findDepartments → findEnabledWithAgentsAndBusinessUnit: enabled, numAgents > 0
      departments: [...store.departments.values()]
        .filter((d) => d.enabled && store.agentsOf(d._id).length > 0)
        .map((d) => ({ _id: d._id, name: d.name, showOnRegistration: d.showOnRegistration, showOnOfflineForm: d.showOnOfflineForm })),
      resources: { sound: '/sounds/chime.mp3' },
      online,
      guest: guest && { _id: guest._id, token: guest.token, name: guest.name, username: guest.username, department: guest.department, visitorEmails: guest.visitorEmails },
      room: room && { _id: room._id, servedBy: room.servedBy, open: room.open, departmentId: room.departmentId },
      agent: agent && { _id: agent._id, username: agent.username, name: agent.name, emails: [{ address: agent.email }] },
    }),
  ) as Record<string, unknown>;
}
