/**
 * The agent console: one self-contained page (no build, no external assets) that polls `/sim/...`
 * every second. Every control has a stable `data-testid` for browser tests.
 */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rocket.Chat simulator · agent console</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 360px 1fr; height: 100vh; }
  aside { border-right: 1px solid #ddd; overflow: auto; padding: 8px; }
  main { overflow: auto; padding: 8px 16px; }
  h2 { font-size: 15px; margin: 12px 0 6px; }
  .room { padding: 6px; border: 1px solid #eee; margin-bottom: 4px; cursor: pointer; }
  .room.selected { border-color: #1d74f5; background: #f0f6ff; }
  .status-queued { color: #b36b00; } .status-open { color: #148f3a; } .status-closed { color: #888; }
  .msg { padding: 4px 0; border-bottom: 1px solid #f3f3f3; } .msg .who { font-weight: 600; } .msg.system { color: #888; font-style: italic; }
  .row { display: flex; gap: 6px; margin: 6px 0; align-items: center; }
  input[type=text] { flex: 1; padding: 4px; }
  #error { color: #c00; min-height: 1em; display: flex; gap: 8px; align-items: center; }
  #error[hidden] { display: none; }
</style>
</head>
<body>
<aside>
  <h2>Agents</h2>
  <div id="agents" data-testid="agents"></div>
  <h2>Rooms</h2>
  <div id="rooms" data-testid="rooms"></div>
</aside>
<main>
  <div id="error" data-testid="error" role="alert" hidden><span id="error-text" data-testid="error-text"></span><button id="error-dismiss" data-testid="error-dismiss" title="Dismiss">×</button></div>
  <div id="detail" data-testid="room-detail" hidden>
    <h2 id="title" data-testid="room-title"></h2>
    <div id="meta" data-testid="room-meta"></div>
    <div class="row">
      <select id="take-agent" data-testid="take-agent"><option value="">agent…</option></select>
      <button id="take" data-testid="take-button">Take</button>
    </div>
    <div id="messages" data-testid="messages"></div>
    <div class="row">
      <input type="text" id="reply" data-testid="reply-input" placeholder="Reply as the serving agent">
      <button id="send" data-testid="reply-button">Send</button>
    </div>
    <div class="row">
      <select id="forward-agent" data-testid="forward-agent"><option value="">agent…</option></select>
      <select id="forward-department" data-testid="forward-department"><option value="">department…</option></select>
      <button id="forward" data-testid="forward-button">Forward</button>
    </div>
    <div class="row">
      <input type="text" id="close-comment" data-testid="close-comment" placeholder="Closing comment">
      <button id="close" data-testid="close-button">Close</button>
      <span data-testid="close-hint">a queued room is closed as the agent chosen above (take or forward list)</span>
    </div>
  </div>
</main>
<script>
(function () {
  var selected = null;
  var lastRooms = [];
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function call(method, path, body) {
    return fetch('/sim/' + path, { method: method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.status); return j; }); })
      .catch(function (e) { showError(e.message); throw e; });
  }
  // An error stays until dismissed: the one-second refresh does not clear it.
  function showError(text) { $('error-text').textContent = text; $('error').hidden = false; }
  $('error-dismiss').onclick = function () { $('error').hidden = true; $('error-text').textContent = ''; };
  // A failed control has shown its error already; the rejection needs no further handling.
  function ignore() {}
  function options(select, items, label) {
    var keep = select.value;
    var first = select.options[0] && select.options[0].value === '' ? select.options[0].outerHTML : '';
    select.innerHTML = first + items.map(function (i) { return '<option value="' + esc(i.value) + '">' + esc(i.label) + '</option>'; }).join('');
    select.value = keep;
  }
  // Offline means "routed no new chats"; an offline agent keeps serving the rooms it has.
  function statusLabel(a, rooms) {
    var serving = rooms.filter(function (r) { return r.open && r.servedBy && r.servedBy._id === a._id; }).length;
    var label = a.status;
    if (serving) label += ' (serving ' + serving + ' room' + (serving === 1 ? '' : 's') + ')';
    return label + (a.status === 'online' ? ' → go offline' : ' → go online');
  }
  function renderAgents(agents, rooms) {
    $('agents').innerHTML = agents.map(function (a) {
      return '<div class="row"><span>' + esc(a.name) + ' (' + esc(a.username) + ')</span>' +
        '<button data-testid="agent-status-' + esc(a.username) + '" data-username="' + esc(a.username) + '" data-status="' + esc(a.status) + '">' +
        esc(statusLabel(a, rooms)) + '</button></div>';
    }).join('');
    var list = agents.map(function (a) { return { value: a.username, label: a.name }; });
    options($('take-agent'), list);
    options($('forward-agent'), list);
  }
  function renderRooms(rooms) {
    $('rooms').innerHTML = rooms.map(function (r) {
      return '<div class="room' + (r._id === selected ? ' selected' : '') + '" data-testid="room-' + esc(r._id) + '" data-rid="' + esc(r._id) + '">' +
        '<div><b>' + esc(r.visitorName) + '</b> <span class="status-' + r.status + '" data-testid="room-status-' + esc(r._id) + '">' + r.status + '</span></div>' +
        '<div>' + esc(r.servedBy ? r.servedBy.username : 'no agent') + ' · ' + esc(r.departmentId || 'no department') + '</div></div>';
    }).join('');
    var room = rooms.filter(function (r) { return r._id === selected; })[0];
    $('detail').hidden = !room;
    if (room) {
      $('title').textContent = room.visitorName + ' · ' + room.status;
      $('meta').textContent = 'room ' + room._id + ' · agent ' + (room.servedBy ? room.servedBy.username : '-') + ' · department ' + (room.departmentId || '-');
    }
  }
  function renderMessages(messages) {
    $('messages').innerHTML = messages.map(function (m) {
      var text = m.t ? '[' + m.t + '] ' + (m.msg || '') : (m.msg || '') + (m.file ? ' 📎 ' + m.file.name : '');
      return '<div class="msg' + (m.t ? ' system' : '') + '" data-testid="message-' + esc(m._id) + '"><span class="who">' + esc(m.u.username) + '</span>: ' + esc(text) + '</div>';
    }).join('');
  }
  function refresh() {
    return Promise.all([call('GET', 'agents'), call('GET', 'rooms'), call('GET', 'departments')]).then(function (all) {
      renderAgents(all[0], all[1]);
      options($('forward-department'), all[2].map(function (d) { return { value: d._id, label: d.name }; }));
      lastRooms = all[1];
      renderRooms(all[1]);
      return selected ? call('GET', 'rooms/' + selected + '/messages').then(renderMessages) : null;
    }).catch(ignore);
  }
  function selectedRoom() { return lastRooms.filter(function (r) { return r._id === selected; })[0]; }
  $('rooms').addEventListener('click', function (e) {
    var el = e.target.closest('[data-rid]');
    if (el) { selected = el.getAttribute('data-rid'); refresh(); }
  });
  $('agents').addEventListener('click', function (e) {
    var b = e.target.closest('[data-username]');
    if (!b) return;
    var next = b.getAttribute('data-status') === 'online' ? 'offline' : 'online';
    call('POST', 'agents/' + b.getAttribute('data-username') + '/status', { status: next }).then(refresh, ignore);
  });
  $('take').onclick = function () {
    var agent = $('take-agent').value;
    if (!agent) return showError('Take: choose the agent who takes the room first');
    call('POST', 'rooms/' + selected + '/take', { agent: agent }).then(refresh, ignore);
  };
  $('send').onclick = function () {
    var text = $('reply').value;
    if (!text) return;
    call('POST', 'rooms/' + selected + '/messages', { text: text }).then(function () { $('reply').value = ''; refresh(); }, ignore);
  };
  $('reply').addEventListener('keydown', function (e) { if (e.key === 'Enter') $('send').click(); });
  $('forward').onclick = function () {
    var agent = $('forward-agent').value, dep = $('forward-department').value;
    if (!agent && !dep) return showError('Forward: choose an agent or a department first');
    call('POST', 'rooms/' + selected + '/forward', agent ? { agent: agent } : { departmentId: dep }).then(refresh, ignore);
  };
  $('close').onclick = function () {
    var room = selectedRoom();
    var body = { by: 'agent', comment: $('close-comment').value || undefined };
    if (room && !room.servedBy) {
      body.agent = $('take-agent').value || $('forward-agent').value;
      if (!body.agent) return showError('Close: this room is queued; choose the agent who closes it (take or forward list)');
    }
    call('POST', 'rooms/' + selected + '/close', body).then(function () { $('close-comment').value = ''; refresh(); }, ignore);
  };
  refresh();
  setInterval(refresh, 1000);
})();
</script>
</body>
</html>
`;
}
