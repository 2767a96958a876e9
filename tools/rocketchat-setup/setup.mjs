// One-shot setup of a fresh Rocket.Chat for omnigate (run by docker-compose.yml's rocketchat-setup):
// log in as the admin, make the admin an Omnichannel agent and put it online, create a "Support"
// department with that agent. Idempotent: re-running changes nothing.
// Endpoints and bodies as Rocket.Chat 7.10 and 8.x define them (@rocket.chat/rest-typings 7.10.0, 8.8.1).
const base = process.env.ROCKETCHAT_URL ?? 'http://localhost:3000';
const username = process.env.ADMIN_USERNAME;

async function call(method, path, body, auth) {
  const res = await fetch(`${base}/api/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { 'x-user-id': auth.userId, 'x-auth-token': auth.authToken } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  return { status: res.status, json };
}

/** Fails the one-shot (non-zero exit) when Rocket.Chat refused a step, with its answer. */
function expectOk(step, res) {
  if (res.status !== 200) throw new Error(`${step} failed: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  console.log(`${step}: HTTP ${res.status}`);
  return res.json;
}

// /api/info answers before the admin user exists on a first start: retry the login for a minute.
let login;
for (let attempt = 1; ; attempt++) {
  login = await call('POST', 'login', { user: username, password: process.env.ADMIN_PASS });
  if (login.status === 200 || attempt === 30) break;
  await new Promise((resolve) => setTimeout(resolve, 2000));
}
const { data } = expectOk('login', login);
const auth = { userId: data.userId, authToken: data.authToken };

// POST livechat/users/agent {username}: adding an existing agent again succeeds.
expectOk(`agent ${username}`, await call('POST', 'livechat/users/agent', { username }, auth));
// An agent takes chats when online (presence) and available (Omnichannel status).
expectOk('presence online', await call('POST', 'users.setStatus', { message: '', status: 'online' }, auth));
expectOk('omnichannel status available', await call('POST', 'livechat/agent.status', { status: 'available' }, auth));

const departments = expectOk('list departments', await call('GET', 'livechat/department?text=Support', undefined, auth));
if (!departments.departments?.some((d) => d.name === 'Support')) {
  // agents[] items allow only agentId, count, order (additionalProperties: false): no username.
  const body = {
    department: { enabled: true, showOnRegistration: true, showOnOfflineForm: true, name: 'Support', email: 'support@example.com' },
    agents: [{ agentId: auth.userId, count: 0, order: 0 }],
  };
  expectOk('department Support', await call('POST', 'livechat/department', body, auth));
}
console.log('Rocket.Chat is ready for omnigate');
