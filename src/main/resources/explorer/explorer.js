// The profile explorer: plain JS over the Profile API (same origin). The read key stays in this tab's session storage.
'use strict';

const $ = (id) => document.getElementById(id);
const keyInput = $('apikey');
keyInput.value = sessionStorage.getItem('cdp-api-key') || '';
keyInput.addEventListener('change', () => sessionStorage.setItem('cdp-api-key', keyInput.value));

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

function card(title, ...content) {
  return el('div', {class: 'card'}, el('h3', {}, title), ...content);
}

function table(headers, rows) {
  return el('table', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h))),
      ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c)))));
}

async function api(path) {
  const response = await fetch(path, {headers: {Authorization: 'Bearer ' + keyInput.value}});
  const body = await response.json();
  if (!response.ok) throw new Error(body.reason || response.statusText);
  return body;
}

// "jane@example.com" is an e-mail, "p-..." a profile id, "ns:value" is taken as it is; else a user id
function identifierOf(query) {
  const q = query.trim();
  if (/^p-[0-9a-f]+$/.test(q)) return 'profile_id:' + q;
  if (/^[a-z][a-z0-9_]*:./.test(q)) return q;
  if (q.includes('@')) return 'email:' + q;
  return 'user_id:' + q;
}

function facts(reason) {
  const list = (reason && reason.facts) || [];
  return el('ul', {}, ...list.map((f) => el('li', {class: f.held ? 'held' : 'failed'},
      f.condition + ' = ' + JSON.stringify(f.value))),
      el('li', {}, 'trigger: ' + ((reason && reason.trigger) || '?')));
}

function segmentLink(id) {
  const a = el('a', {class: 'seg', href: '#segment/' + encodeURIComponent(id)}, id);
  return a;
}

async function showProfile(identifier) {
  const p = await api('/v1/profiles/' + encodeURIComponent(identifier));
  const section = $('profile');
  section.replaceChildren(
      el('h2', {id: 'profile-id'}, p.profileId),
      el('p', {}, 'first seen ' + p.firstSeen + ' · last seen ' + p.lastSeen + ' · version ' + p.version),
      el('div', {class: 'cards'},
          card('Identifiers', table(['namespace', 'value'], p.identifiers.map((i) => [i.namespace, i.value]))),
          card('Traits', table(['trait', 'value'], Object.entries(p.traits).map(([k, v]) => [k, JSON.stringify(v)]))),
          card('Computed traits', table(['trait', 'value'],
              Object.entries(p.computedTraits || {}).map(([k, v]) => [k, JSON.stringify(v)]))),
          card('Consent', table(['purpose', 'state'], Object.entries(p.consent).map(([k, v]) =>
              [k, el('span', {class: v ? 'granted' : 'declined'}, v ? 'granted' : 'declined')]))),
          card('Segments', el('div', {id: 'segments'}, table(['segment', 'since', 'why'],
              p.segments.map((s) => [segmentLink(s.id), s.enteredAt, facts(s.reason)])))),
          card('Recent membership changes', table(['when', 'change', 'segment'],
              p.recentChanges.map((c) => [c.occurredAt,
                el('span', {class: c.type === 'segment.entered' ? 'entered' : 'exited'}, c.type.slice(8)),
                segmentLink(c.segment)]))),
          card('Merged profiles', el('p', {}, p.absorbed.length ? p.absorbed.join(', ') : 'none'))));
  $('segment').hidden = true;
  section.hidden = false;
}

async function showSegment(id, cursor) {
  const page = await api('/v1/segments/' + encodeURIComponent(id) + '/members?limit=50'
      + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
  const section = $('segment');
  const rows = page.members.map((m) => {
    const a = el('a', {href: '#profile/' + encodeURIComponent('profile_id:' + m.profileId)}, m.profileId);
    return [a, m.enteredAt, 'v' + m.version];
  });
  const next = page.nextCursor
      ? el('a', {href: '#segment/' + encodeURIComponent(id) + '/' + encodeURIComponent(page.nextCursor)}, 'next page')
      : '';
  section.replaceChildren(el('h2', {}, 'Segment ' + id),
      card('Members', table(['profile', 'entered', 'version'], rows), next));
  $('profile').hidden = true;
  section.hidden = false;
}

async function route() {
  const [kind, a, b] = location.hash.slice(1).split('/').map(decodeURIComponent);
  $('status').textContent = '';
  try {
    if (kind === 'profile' && a) await showProfile(a);
    else if (kind === 'segment' && a) await showSegment(a, b);
  } catch (e) {
    $('status').textContent = e.message;
    $('profile').hidden = true;
    $('segment').hidden = true;
  }
}

$('search').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('cdp-api-key', keyInput.value);
  location.hash = 'profile/' + encodeURIComponent(identifierOf($('query').value));
});
window.addEventListener('hashchange', route);
route();
