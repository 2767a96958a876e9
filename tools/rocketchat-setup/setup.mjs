// One-shot setup of a fresh Rocket.Chat for omnigate (run by docker-compose.yml's rocketchat-setup):
// log in as the admin, make the admin an Omnichannel agent and put it online, create a "Support"
// department with that agent. Idempotent: re-running changes nothing.
const base = process.env.ROCKETCHAT_URL ?? 'http://localhost:3000';

async function call(method, path, body, auth) {
  const res = await fetch(`${base}/api/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { 'x-user-id': auth.userId, 'x-auth-token': auth.authToken } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  return { status: res.status, json };
}

const login = await call('POST', 'login', { user: process.env.ADMIN_USERNAME, password: process.env.ADMIN_PASS });
if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status} ${JSON.stringify(login.json)}`);
const auth = { userId: login.json.data.userId, authToken: login.json.data.authToken };

const agent = await call('POST', 'livechat/users/agent', { username: process.env.ADMIN_USERNAME }, auth);
console.log(`agent ${process.env.ADMIN_USERNAME}: HTTP ${agent.status}`);
await call('POST', 'users.setStatus', { status: 'online' }, auth);
await call('POST', 'livechat/agent.status', { status: 'available' }, auth);

const departments = await call('GET', 'livechat/department?text=Support', undefined, auth);
if (!departments.json.departments?.some((d) => d.name === 'Support')) {
  const created = await call(
    'POST',
    'livechat/department',
    {
      department: { enabled: true, showOnRegistration: true, showOnOfflineForm: true, name: 'Support', email: 'support@example.com' },
      agents: [{ agentId: auth.userId, username: process.env.ADMIN_USERNAME, count: 0, order: 0 }],
    },
    auth,
  );
  console.log(`department Support: HTTP ${created.status}`);
}
console.log('Rocket.Chat is ready for omnigate');
