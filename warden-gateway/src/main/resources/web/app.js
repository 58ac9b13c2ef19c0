'use strict';
// Warden web chat and dashboard. Plain JS: the gateway serves it as static files; no build step.
const csrf = sessionStorage.getItem('wardenCsrf');
let session = sessionStorage.getItem('wardenSession') || newSessionId();
let socket;

function newSessionId() { return 'web-' + Math.random().toString(16).slice(2, 10); }
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

async function api(path, opts = {}) {
  opts.headers = Object.assign({'Content-Type': 'application/json', 'X-Warden-CSRF': csrf || ''}, opts.headers || {});
  const r = await fetch(path, opts);
  if (r.status === 401) { location.href = '/static/login.html'; throw new Error('not logged in'); }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function addMessage(role, text) {
  const m = el('div', 'msg ' + role, text);
  document.getElementById('messages').append(m);
  m.scrollIntoView({block: 'end'});
  return m;
}

function addAction(a) {
  const box = el('div', 'action ' + a.decision);
  box.dataset.tool = a.tool;
  const head = el('div');
  head.append(el('span', 'verdict', a.decision === 'allow' && !a.executed ? 'failed' : a.decision));
  head.append(el('code', null, a.tool + ' ' + JSON.stringify(a.arguments)));
  box.append(head);
  box.append(el('div', 'reason', (a.rule ? a.rule + ': ' : '') + (a.reason || '')));
  if (a.sources && a.sources.length) box.append(el('div', 'sources', 'tainted by ' + a.sources.join(', ')));
  if (a.approval_id) box.append(el('div', 'reason', 'waiting for approval ' + a.approval_id));
  document.getElementById('messages').append(box);
  box.scrollIntoView({block: 'end'});
}

function renderApprovals(list) {
  const box = document.getElementById('approvals');
  box.innerHTML = '';
  document.getElementById('approval-count').textContent = list.length;
  if (!list.length) { box.append(el('p', 'muted', 'Nothing waits for you.')); return; }
  // Similar asks (same kind of action, same destination, same session) are one decision.
  const groups = new Map();
  for (const a of list) { if (!groups.has(a.group)) groups.set(a.group, []); groups.get(a.group).push(a); }
  for (const [group, members] of groups) {
    const a = members[0];
    const c = el('div', 'card approval');
    c.dataset.approval = a.id;
    c.append(el('div', null, a.description + (members.length > 1 ? '  (×' + members.length + ' similar)' : '')));
    c.append(el('div', 'reason', a.reason));
    c.append(el('div', 'muted', a.rule + ' · ' + (members.length > 1 ? members.length + ' requests' : a.id)));
    if (a.diff) c.append(el('pre', 'diff', a.diff));
    const b = el('div', 'buttons');
    const mk = (label, cls, body, grant) => {
      const btn = el('button', 'small ' + cls, label);
      btn.addEventListener('click', async () => {
        const verb = grant ? 'grant' : 'deny';
        try {
          if (members.length > 1) await api('/api/approvals/group/' + verb, {method: 'POST', body: JSON.stringify(Object.assign({group}, body))});
          else await api('/api/approvals/' + a.id + '/' + verb, {method: 'POST', body: JSON.stringify(body)});
        } catch (e) { alert(e.message); }
        refreshApprovals();
      });
      b.append(btn);
    };
    mk(members.length > 1 ? 'Approve all ' + members.length : 'Approve once', 'approve', {scope: 'once'}, true);
    if (a.scopes.includes('session')) mk('This destination, this session', 'secondary', {scope: 'session'}, true);
    if (a.scopes.includes('for_duration')) mk('30 minutes', 'secondary', {scope: 'for_duration', minutes: 30}, true);
    mk(members.length > 1 ? 'Deny all' : 'Deny', 'deny', {}, false);
    c.append(b);
    box.append(c);
  }
}

async function refreshAlerts() {
  const list = await api('/api/alerts');
  const box = document.getElementById('alerts');
  box.innerHTML = '';
  document.getElementById('alert-count').textContent = list.length;
  if (!list.length) { box.append(el('p', 'muted', 'No alerts.')); return; }
  for (const a of list.slice(0, 20)) {
    const c = el('div', 'card');
    c.append(el('div', null, '[' + a.severity + '] ' + a.title + (a.count > 1 ? '  ×' + a.count : '')));
    c.append(el('div', 'reason', a.detail));
    box.append(c);
  }
}

async function refreshApprovals() { renderApprovals(await api('/api/approvals')); }

async function refreshStatus() {
  const s = await api('/api/status');
  const q = document.getElementById('quarantine');
  q.textContent = s.quarantined ? 'Release' : 'Quarantine';
  q.dataset.state = s.quarantined ? 'on' : 'off';
  const st = document.getElementById('status');
  st.textContent = (s.quarantined ? 'QUARANTINED · ' : '') + 'model ' + s.model + ' · sandbox ' + s.sandbox
    + (s.sandbox_warning ? ' (UNPROTECTED)' : '') + ' · audit #' + s.audit_head;
  st.className = 'status' + (s.quarantined ? ' quarantined' : '');
}

async function refreshSessions() {
  const list = await api('/api/sessions');
  const ul = document.getElementById('sessions');
  ul.innerHTML = '';
  for (const s of list) {
    const li = el('li', s.id === session ? 'active' : '', s.title || s.id);
    if (s.tainted) li.append(el('span', 'taint', ' · tainted'));
    li.addEventListener('click', () => openSession(s.id));
    ul.append(li);
  }
}

async function openSession(id) {
  session = id;
  sessionStorage.setItem('wardenSession', id);
  const box = document.getElementById('messages');
  box.innerHTML = '';
  for (const m of await api('/api/sessions/' + encodeURIComponent(id) + '/messages')) {
    if (m.role === 'user') addMessage('user', m.content);
    else if (m.role === 'assistant' && m.content) addMessage('assistant', m.content);
    else if (m.role === 'tool') addMessage('assistant', '↳ ' + m.content.slice(0, 400));
    setLabel(m.label);
  }
  refreshSessions();
}

function setLabel(label) {
  const l = document.getElementById('label');
  const tainted = String(label).startsWith('untrusted');
  l.className = 'label ' + (tainted ? 'tainted' : 'trusted');
  l.textContent = 'context: ' + label;
}

let pending;
const outbox = [];  // messages typed before the socket is open are sent when it opens
function send(obj) {
  const text = JSON.stringify(obj);
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(text); else outbox.push(text);
}
function connect() {
  socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  socket.onmessage = (ev) => {
    const e = JSON.parse(ev.data);
    if (e.type === 'approval') { refreshApprovals(); return; }
    if (e.type === 'notice') { refreshAlerts(); return; }
    if (e.session !== session) return;
    if (e.type === 'delta') { if (!pending) pending = addMessage('assistant', ''); pending.textContent += e.text; }
    else if (e.type === 'action') { pending = null; addAction(e.action); }
    else if (e.type === 'reply') { if (e.label) setLabel(e.label); if (pending) { pending.textContent = e.text; } else { addMessage('assistant', e.text); } pending = null; refreshSessions(); refreshStatus(); }
    else if (e.type === 'error') addMessage('assistant', 'error: ' + e.text);
  };
  socket.onclose = () => { document.body.dataset.ws = 'closed'; document.getElementById('status').textContent = 'disconnected — retrying…'; setTimeout(connect, 2000); };
  socket.onopen = () => { document.body.dataset.ws = 'open'; while (outbox.length) socket.send(outbox.shift()); refreshStatus(); };
}

async function refreshAudit() {
  const rows = document.getElementById('audit-rows');
  rows.innerHTML = '';
  for (const r of (await api('/api/audit?limit=200')).reverse()) {
    const b = r.body;
    const what = r.type === 'decision' ? `${b.verdict} ${b.action} ${b.resource} — ${b.rule}: ${b.reason}`
      : r.type === 'outcome' ? `${b.status} ${b.action} ${b.resource}` : r.type === 'event' ? `${b.category}/${b.name}` : `checkpoint ${b.covers_seq}`;
    const tr = el('tr');
    [r.seq, r.time.replace('T', ' ').slice(0, 19), r.type, r.session || '', what].forEach(v => tr.append(el('td', null, String(v))));
    rows.append(tr);
  }
}

document.querySelectorAll('.tab').forEach(t => t.addEventListener('click', () => {
  document.querySelectorAll('.tab').forEach(x => x.classList.toggle('active', x === t));
  document.getElementById('chat').classList.toggle('hidden', t.dataset.tab !== 'chat');
  document.getElementById('audit').classList.toggle('hidden', t.dataset.tab !== 'audit');
  if (t.dataset.tab === 'audit') refreshAudit();
}));
document.getElementById('verify').addEventListener('click', async () => {
  const v = await api('/api/audit/verify');
  const out = document.getElementById('verify-result');
  out.textContent = v.summary; out.className = v.ok ? '' : 'error';
});
document.getElementById('quarantine').addEventListener('click', async (e) => {
  const on = e.target.dataset.state === 'on';
  if (!on && !confirm('Quarantine Warden? Every action is denied, credentials are suspended, channels muted, cron stopped.')) return;
  try { await api(on ? '/api/release' : '/api/quarantine', {method: 'POST', body: JSON.stringify({reason: 'from the dashboard'})}); }
  catch (err) { alert(err.message); }
  refreshStatus(); refreshApprovals();
});
document.getElementById('new-session').addEventListener('click', () => { openSession(newSessionId()); });
document.getElementById('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('text');
  if (!input.value.trim()) return;
  addMessage('user', input.value);
  send({type: 'message', session, text: input.value});
  input.value = '';
});

(async () => {
  try { await refreshStatus(); } catch (e) { return; }
  connect();
  refreshApprovals();
  refreshAlerts();
  openSession(session);
  setInterval(refreshApprovals, 5000);
})();
