import { createHash } from 'node:crypto';

/**
 * The demo chat page: how a browser app follows a room live. The app's server mints a visitor
 * stream token (POST /v1/visitors/:token/stream-tokens) and hands it to the page, which opens an
 * EventSource with it: the page never holds an API key. Everything it renders goes through
 * textContent, and the CSP allows only this page's own script and style (by hash) and same-origin
 * connections.
 */
const STYLE = `
  body { font: 15px system-ui, sans-serif; margin: 0 auto; max-width: 640px; padding: 12px; color: #222; }
  header { display: flex; gap: 12px; align-items: baseline; border-bottom: 1px solid #ddd; padding-bottom: 8px; }
  h1 { font-size: 17px; margin: 0; flex: 1; }
  .badge { padding: 2px 8px; border-radius: 10px; background: #eee; font-size: 13px; } .badge:empty { display: none; }
  [data-status="queued"] { background: #fff2d6; } [data-status="open"] { background: #dcf5e3; } [data-status="closed"] { background: #e4e4e4; color: #666; }
  ol { list-style: none; padding: 0; margin: 12px 0; }
  li { margin: 6px 0; padding: 6px 10px; border-radius: 8px; max-width: 80%; background: #f1f1f1; }
  li[data-author-type="visitor"] { margin-left: auto; background: #dbe9ff; }
  li[data-author-type="system"] { max-width: none; background: none; color: #777; font-style: italic; text-align: center; }
  .author { display: block; font-size: 12px; color: #666; }
  li[data-delivery="pending"] .text { opacity: .6; } li[data-delivery="failed"] .text { color: #c00; }
  #error { color: #c00; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var room = params.get('room');
  var token = params.get('stream_token');
  if (!room || !token) {
    $('error').textContent = 'Open this page as /demo?room=<room id>&stream_token=<ogs_... from POST /v1/visitors/:token/stream-tokens>';
    return;
  }
  // from here on the token lives in this script only: keep it out of the address bar and history
  history.replaceState(null, '', location.pathname + '?room=' + encodeURIComponent(room));

  var items = {};
  function setText(id, value, attribute) {
    var el = $(id);
    el.textContent = value;
    if (attribute) el.setAttribute(attribute, value);
  }
  function addMessage(m) {
    if (items[m.id]) return;
    var li = document.createElement('li');
    li.setAttribute('data-testid', 'message');
    li.setAttribute('data-message-id', m.id);
    li.setAttribute('data-author-type', m.authorType);
    if (m.deliveryStatus) li.setAttribute('data-delivery', m.deliveryStatus);
    var author = document.createElement('span');
    author.className = 'author';
    author.setAttribute('data-testid', 'message-author');
    author.textContent = m.authorType === 'system' ? '' : (m.authorName || m.authorUsername || m.authorType);
    var text = document.createElement('span');
    text.className = 'text';
    text.setAttribute('data-testid', 'message-text');
    text.textContent = m.text || (m.systemType ? '[' + m.systemType + ']' : '');
    li.append(author, text);
    $('messages').append(li);
    items[m.id] = li;
    li.scrollIntoView({ block: 'end' });
  }
  function agentName(agent) { return agent ? (agent.name || agent.username || '') : ''; }

  var handlers = {
    'message.created': addMessage,
    'message.edited': function (d) { var li = items[d.id]; if (li) li.querySelector('.text').textContent = d.text; },
    'message.delivery': function (d) { var li = items[d.id]; if (li) li.setAttribute('data-delivery', d.deliveryStatus); },
    'room.queued': function () { setText('room-status', 'queued', 'data-status'); setText('agent', ''); },
    'room.taken': function (d) { setText('room-status', 'open', 'data-status'); setText('agent', agentName(d.agent)); },
    'room.forwarded': function (d) {
      setText('room-status', d.to && d.to.agent ? 'open' : 'queued', 'data-status');
      setText('agent', agentName(d.to && d.to.agent));
    },
    'room.closed': function () { setText('room-status', 'closed', 'data-status'); },
  };

  // lastEventId=0 replays the room's history first; after a drop EventSource resumes by itself
  // with the Last-Event-ID header, which takes precedence over the query
  var url = '/v1/rooms/' + encodeURIComponent(room) + '/events?lastEventId=0&access_token=' + encodeURIComponent(token);
  var source = new EventSource(url);
  Object.keys(handlers).forEach(function (type) {
    source.addEventListener(type, function (e) { handlers[type](JSON.parse(e.data).data); });
  });
  source.onopen = function () { setText('connection', 'live', 'data-state'); };
  source.onerror = function () {
    // CLOSED: the server refused (expired token, unknown room); the app must mint a new token
    setText('connection', source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', 'data-state');
  };
})();
`;

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>omnigate · demo chat</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Demo chat</h1>
  <span class="badge" data-testid="agent" id="agent"></span>
  <span class="badge" data-testid="room-status" id="room-status" data-status="unknown">unknown</span>
  <span class="badge" data-testid="connection" id="connection" data-state="connecting">connecting</span>
</header>
<p id="error" data-testid="error"></p>
<ol id="messages" data-testid="messages"></ol>
<script>${SCRIPT}</script>
</body>
</html>
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const DEMO_PAGE = {
  html: HTML,
  contentSecurityPolicy: [
    "default-src 'none'",
    `script-src ${sha256(SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
} as const;
