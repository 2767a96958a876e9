import { createHash } from 'node:crypto';

/**
 * The demo chat page: a browser app that talks to omnigate with nothing but a visitor session
 * token. The app's server mints it (POST /v1/visitors/:token/sessions, with its API key) and hands
 * it to the page, which follows the room live (EventSource), sends messages and files, closes the
 * room and rates it, and refreshes its token before it expires. Everything it renders goes through
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
  .author { display: block; font-size: 12px; color: #666; } .file { display: block; font-size: 13px; }
  li[data-delivery="pending"] .text { opacity: .6; } li[data-delivery="failed"] .text { color: #c00; }
  li[data-deleted] .text { color: #888; font-style: italic; }
  form { display: flex; gap: 8px; margin: 8px 0; } [hidden] { display: none !important; }
  #text { flex: 1; padding: 6px; } #comment { flex: 1; padding: 6px; }
  .actions { display: flex; gap: 8px; align-items: center; }
  #error { color: #c00; } #notice { color: #555; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var room = params.get('room');
  var token = params.get('session') || params.get('stream_token');
  if (!room || !token) {
    $('error').textContent = 'Open this page as /demo?room=<room id>&session=<ogs_... from POST /v1/visitors/:token/sessions>';
    return;
  }
  // from here on the token lives in this script only: keep it out of the address bar and history
  history.replaceState(null, '', location.pathname + '?room=' + encodeURIComponent(room));

  var items = {};
  var lastEventId = '0';
  var source = null;
  var ended = false;
  function setText(id, value, attribute) {
    var el = $(id);
    el.textContent = value;
    if (attribute) el.setAttribute(attribute, value);
  }
  function showError(text) { $('error').textContent = text || ''; }
  function newKey() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // --- the session token: refreshed before it expires, never past the session's end ---
  function expiryOf(t) {
    try {
      var payload = t.slice(4).split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).e * 1000;
    } catch (e) { return 0; }
  }
  var refreshTimer = null;
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    var left = expiryOf(token) - Date.now();
    if (left > 0) refreshTimer = setTimeout(refresh, Math.max(1000, left * 0.8));
  }
  function refresh() {
    return api('POST', '/v1/sessions/refresh').then(function (body) {
      token = body.token;
      scheduleRefresh();
    }, function () { /* at the session's end: the stream says so when the token runs out */ });
  }
  function endSession(text) {
    ended = true;
    clearTimeout(refreshTimer);
    if (source) source.close();
    setText('connection', 'ended', 'data-state');
    $('notice').textContent = text;
    Array.prototype.forEach.call(document.querySelectorAll('button, input, textarea'), function (el) { el.disabled = true; });
  }

  // --- calls: the session token as the bearer, errors in omnigate's shape ---
  function api(method, path, body, headers) {
    var init = { method: method, headers: Object.assign({ authorization: 'Bearer ' + token }, headers || {}) };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['content-type'] = 'application/json'; }
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.status === 401) endSession('Your session has ended.');
        if (!res.ok) throw Object.assign(new Error(json.message || res.statusText), { status: res.status, body: json });
        return json;
      });
    });
  }
  var roomPath = '/v1/rooms/' + encodeURIComponent(room);

  // --- rendering ---
  function addMessage(m) {
    if (items[m.id]) return updateMessage(m);
    var li = document.createElement('li');
    li.setAttribute('data-testid', 'message');
    li.setAttribute('data-message-id', m.id);
    li.setAttribute('data-author-type', m.authorType);
    var author = document.createElement('span');
    author.className = 'author';
    author.setAttribute('data-testid', 'message-author');
    author.textContent = m.authorType === 'system' ? '' : (m.authorName || m.authorUsername || m.authorType);
    var text = document.createElement('span');
    text.className = 'text';
    text.setAttribute('data-testid', 'message-text');
    var files = document.createElement('span');
    li.append(author, text, files);
    $('messages').append(li);
    items[m.id] = li;
    updateMessage(m);
    li.scrollIntoView({ block: 'end' });
  }
  function updateMessage(m) {
    var li = items[m.id];
    if (m.deliveryStatus) li.setAttribute('data-delivery', m.deliveryStatus);
    li.querySelector('.text').textContent = m.text || (m.systemType ? '[' + m.systemType + ']' : '');
    var files = li.lastChild;
    files.textContent = '';
    (m.attachments || []).forEach(function (a) {
      if (a.kind !== 'file') return;
      var link = document.createElement('a');
      link.className = 'file';
      link.setAttribute('data-testid', 'message-file');
      link.textContent = '📎 ' + (a.name || a.id);
      // a link cannot send a header: the token goes in the query, for this one download
      if (a.downloadUrl) link.href = a.downloadUrl + '?access_token=' + encodeURIComponent(token);
      files.append(link);
    });
  }
  function agentName(agent) { return agent ? (agent.name || agent.username || '') : ''; }
  function setStatus(status) {
    setText('room-status', status, 'data-status');
    $('composer').hidden = status === 'closed';
    $('close-button').hidden = status === 'closed';
    if (status === 'closed' && !$('survey-done').textContent) $('survey').hidden = false;
  }

  var handlers = {
    'message.created': addMessage,
    'message.edited': function (d) { var li = items[d.id]; if (li) li.querySelector('.text').textContent = d.text; },
    'message.deleted': function (d) { var li = items[d.id]; if (li) { li.setAttribute('data-deleted', ''); li.querySelector('.text').textContent = 'message deleted'; } },
    'message.delivery': function (d) { var li = items[d.id]; if (li) li.setAttribute('data-delivery', d.deliveryStatus); },
    'room.queued': function () { setStatus('queued'); setText('agent', ''); },
    'room.taken': function (d) { setStatus('open'); setText('agent', agentName(d.agent)); },
    'room.forwarded': function (d) { setStatus(d.to && d.to.agent ? 'open' : 'queued'); setText('agent', agentName(d.to && d.to.agent)); },
    'room.closed': function () { setStatus('closed'); },
  };

  // --- the stream: the room's history first (lastEventId=0), then live; reopened with a fresh token ---
  function openStream() {
    if (ended) return;
    if (source) source.close();
    source = new EventSource(roomPath + '/events?lastEventId=' + encodeURIComponent(lastEventId) + '&access_token=' + encodeURIComponent(token));
    Object.keys(handlers).forEach(function (type) {
      source.addEventListener(type, function (e) {
        if (e.lastEventId) lastEventId = e.lastEventId;
        handlers[type](JSON.parse(e.data).data);
      });
    });
    source.addEventListener('session.ended', function (e) {
      if (JSON.parse(e.data).reason === 'revoked') return endSession('Your session was ended.');
      // the token it was opened with ran out: go on with the refreshed one, from the last event seen
      openStream();
    });
    source.onopen = function () { setText('connection', 'live', 'data-state'); };
    source.onerror = function () {
      // CLOSED: the server refused (expired or revoked session, unknown room)
      if (!ended) setText('connection', source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', 'data-state');
    };
  }

  // --- the visitor's actions ---
  $('composer').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = $('text').value.trim();
    if (!text) return;
    showError('');
    // one key per message: a retry after a lost answer cannot send it twice
    api('POST', roomPath + '/messages', { text: text }, { 'idempotency-key': newKey() }).then(function (m) {
      $('text').value = '';
      addMessage(m);
    }, function (err) {
      // refused by Rocket.Chat: stored as failed, shown as such
      if (err.body && err.body.details && err.body.details.message) addMessage(err.body.details.message);
      showError(err.message);
    });
  });
  $('file').addEventListener('change', function () {
    var file = $('file').files[0];
    if (!file) return;
    var form = new FormData();
    form.append('file', file);
    showError('');
    api('POST', roomPath + '/files', form).then(function (m) { $('file').value = ''; addMessage(m); }, function (err) { showError(err.message); });
  });
  $('close-button').addEventListener('click', function () {
    showError('');
    api('POST', roomPath + '/close', {}).then(function () { setStatus('closed'); }, function (err) { showError(err.message); });
  });
  $('survey').addEventListener('submit', function (e) {
    e.preventDefault();
    var picked = document.querySelector('input[name="rating"]:checked');
    if (!picked) return showError('Pick a rating from 1 to 5');
    var body = { rating: Number(picked.value) };
    var comment = $('comment').value.trim();
    if (comment) body.comment = comment;
    showError('');
    api('POST', roomPath + '/survey', body).then(function () {
      $('survey').hidden = true;
      $('survey-done').textContent = 'Thank you for your feedback!';
    }, function (err) {
      if (err.status === 409) { $('survey').hidden = true; $('survey-done').textContent = 'This conversation was already rated.'; }
      else showError(err.message);
    });
  });

  scheduleRefresh();
  openStream();
})();
`;

const RATINGS = [1, 2, 3, 4, 5]
  .map((n) => `<label><input type="radio" name="rating" value="${n}" data-testid="rating-${n}">${n}</label>`)
  .join('\n    ');

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
<p id="error" data-testid="error" role="alert"></p>
<ol id="messages" data-testid="messages"></ol>
<form id="composer" data-testid="composer">
  <input id="text" data-testid="message-input" placeholder="Type a message" maxlength="5000" autocomplete="off" aria-label="Message">
  <button type="submit" data-testid="send-button">Send</button>
</form>
<div class="actions">
  <label>Send a file <input type="file" id="file" data-testid="file-input"></label>
  <button type="button" id="close-button" data-testid="close-button">End chat</button>
</div>
<form id="survey" data-testid="survey" hidden>
  <span>How did we do?</span>
  <span class="actions">
    ${RATINGS}
  </span>
  <input id="comment" data-testid="survey-comment" placeholder="Anything to add?" maxlength="1000" aria-label="Comment">
  <button type="submit" data-testid="survey-submit">Rate</button>
</form>
<p id="survey-done" data-testid="survey-done"></p>
<p id="notice" data-testid="notice"></p>
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
