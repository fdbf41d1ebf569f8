// A department's inbox (/department): the signals O-punt routed to this department, earliest
// due first, with what the department needs and no more (docs/interface.md §3, §13): the
// facts, the reporter's contact, a proposed answer, notes, and "hand back to O-punt".
// O-punt answers the reporter; nothing here can. Dutch only.
import { ApiError } from './api.js';
import { localName } from './i18n.js';
import { h, formatTime } from './dom.js';
import { startPage, forgetToken, tx, api, pageFrame } from './staff.js';

const TEXTS = ['department'];
const ROLES = ['department'];
const DAY = 86400000;
const root = document.getElementById('main');
const bar = document.getElementById('staff-bar');
const S = { session: null, config: null, items: [], selected: null, history: [], problem: null, message: null };

const when = (iso) => (iso ? formatTime(iso, 'nl', S.config.time_zone) : tx('none'));
const dayOnly = (iso) => new Intl.DateTimeFormat('nl-BE', { dateStyle: 'medium', timeZone: S.config.time_zone }).format(new Date(iso));
function due(s) {
  if (!s.due_at) return tx('none');
  if (!s.overdue) return tx('due.by', { date: dayOnly(s.due_at) });
  return tx('due.late', { days: Math.max(1, Math.floor((Date.now() - new Date(s.due_at).getTime()) / DAY)), date: dayOnly(s.due_at) });
}
function categoryName(path) {
  const [main, sub] = path.split('/');
  const c = S.config.categories.find((x) => x.key === main);
  if (!c) return path;
  const s = sub && c.subcategories.find((x) => x.key === sub);
  return s ? `${localName(c.name)} — ${localName(s.name)}` : localName(c.name);
}
const session = () => ({ token: S.session.token, onSignOut: signOut });

function render(focus) {
  if (!pageFrame({ bar, root, session: S.session, signOut, onSignedIn, roles: ROLES })) return;
  document.title = `${S.selected ? tx('detail.title', { reference: S.selected.reference }) : tx('inbox.title')} — ${tx('title')}`;
  root.replaceChildren(
    h('h1', { class: 'page-heading' }, tx('title')),
    h('p', {}, tx('inbox.intro')),
    h('div', { class: 'dep-layout' }, inbox(), detail()));
  const target = focus && document.getElementById(focus);
  if (target) target.focus();
}

function inbox() {
  return h('section', { 'aria-labelledby': 'h-inbox' },
    h('h2', { id: 'h-inbox' }, tx('inbox.title')),
    h('p', { class: 'hint small', role: 'status' }, tx('inbox.count', { count: S.items.length })),
    S.items.length
      ? h('ul', { class: 'queue', id: 'inbox' }, S.items.map((s) => h('li', { class: 'queue__item queue__item--plain' + (s.overdue ? ' queue__item--overdue' : '') },
        h('button', { type: 'button', class: 'queue__button', 'data-reference': s.reference,
          'aria-current': S.selected && S.selected.reference === s.reference ? 'true' : null, onclick: () => open(s.reference) },
        h('span', { class: 'queue__ref' }, s.reference),
        h('span', { class: 'queue__tags' }, s.overdue ? h('span', { class: 'tag tag--overdue' }, tx('inbox.late')) : null,
          h('span', { class: 'tag tag--' + s.status }, tx('status.' + s.status))),
        h('span', { class: 'queue__due' + (s.overdue ? ' queue__due--late' : '') }, due(s)),
        h('span', { class: 'queue__meta' }, `${tx('kind.' + s.kind)} · ${categoryName(s.category)}${s.address ? ' · ' + s.address : ''}`)))))
      : h('p', { id: 'inbox' }, tx('inbox.empty')));
}

function detail() {
  const s = S.selected;
  if (!s) return h('section', { class: 'detail', 'aria-labelledby': 'h-detail' }, h('h2', { id: 'h-detail' }, tx('detail.title', { reference: '' }).trim()), h('p', {}, tx('detail.none')));
  const contact = s.contact ? [s.contact.name, s.contact.email, s.contact.phone].filter(Boolean).join(' · ') : '';
  const rows = [
    ['detail.received', when(s.received_at)], ['detail.due', due(s)], ['detail.status', tx('status.' + s.status)],
    ['detail.kind', tx('kind.' + s.kind)], ['detail.category', categoryName(s.category)],
    ['detail.address', s.address || tx('none')], ['detail.description', s.description],
    ['detail.contact', contact || tx('none')],
  ];
  const proposal = h('form', { id: 'proposal-form', 'aria-labelledby': 'h-proposal' },
    h('h3', { id: 'h-proposal' }, tx('proposal.title')),
    h('div', { class: 'field' }, h('label', { for: 'dep-proposal', class: 'label' }, tx('proposal.title')),
      h('p', { class: 'hint', id: 'dep-proposal-hint' }, tx('proposal.hint')),
      h('textarea', { id: 'dep-proposal', class: 'textarea', rows: 5, maxlength: 10000, 'aria-describedby': 'dep-proposal-hint' })),
    h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'propose' }, tx('proposal.button')));
  proposal.querySelector('#dep-proposal').value = s.proposed_answer || '';
  proposal.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = proposal.querySelector('#dep-proposal').value.trim();
    act('PATCH', '', { proposed_answer: text || null }, 'proposal.done');
  });
  const note = h('form', { id: 'note-form', 'aria-labelledby': 'h-dep-note' },
    h('h3', { id: 'h-dep-note' }, tx('note.title')),
    h('div', { class: 'field' }, h('label', { for: 'dep-note', class: 'label' }, tx('note.label')),
      h('textarea', { id: 'dep-note', class: 'textarea', rows: 3, maxlength: 2000 })),
    h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'note' }, tx('note.button')));
  note.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = note.querySelector('#dep-note').value.trim();
    if (text) act('POST', '/notes', { text }, 'note.done');
  });
  const back = h('form', { id: 'hand-back-form', 'aria-labelledby': 'h-back' },
    h('h3', { id: 'h-back' }, tx('back.title')),
    h('div', { class: 'field' }, h('label', { for: 'dep-reason', class: 'label' }, tx('back.label')),
      h('p', { class: 'hint', id: 'dep-reason-hint' }, tx('back.hint')),
      h('textarea', { id: 'dep-reason', class: 'textarea', rows: 2, maxlength: 1000, 'aria-describedby': 'dep-reason-hint' })),
    h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'hand-back' }, tx('back.button')));
  back.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = back.querySelector('#dep-reason').value.trim();
    if (!reason) { S.problem = tx('back.missing'); return render('dep-problem'); }
    act('POST', '/hand-back', { reason }, 'back.done', true);
  });
  const history = h('section', { 'aria-labelledby': 'h-history' }, h('h3', { id: 'h-history' }, tx('history.title')),
    S.history.length ? h('ol', { class: 'history', id: 'history' }, S.history.map((c) => h('li', { class: c.field === 'note' ? 'history__note' : null },
      h('span', { class: 'history__when' }, `${when(c.at)} · ${tx('history.by', { who: c.who })}`),
      h('span', { class: 'history__value' }, c.field === 'note' || c.field === 'proposed_answer'
        ? `${tx('field.' + c.field)}: ${c.new_value ?? tx('none')}` : tx('field.' + c.field)))))
      : h('p', {}, tx('history.empty')));
  return h('section', { class: 'detail', 'aria-labelledby': 'h-detail' },
    h('h2', { id: 'h-detail', tabindex: '-1' }, tx('detail.title', { reference: s.reference })),
    S.problem ? h('div', { class: 'problem', role: 'alert', id: 'dep-problem', tabindex: '-1' }, h('p', {}, S.problem)) : null,
    h('div', { class: 'ok-message', id: 'dep-message', role: 'status' }, S.message || ''),
    h('div', { class: 'detail__grid' },
      h('div', {}, h('dl', { class: 'facts', id: 'facts' }, rows.map(([k, v]) => [h('dt', {}, tx(k)), h('dd', { class: k === 'detail.due' && s.overdue ? 'late' : null }, String(v))])),
        proposal, back),
      h('aside', { 'aria-label': tx('history.title') }, note, history)));
}

async function act(method, suffix, body, done, leaves) {
  S.problem = null;
  S.message = null;
  const reference = S.selected.reference;
  try {
    await api(session(), method, `/api/v1/signals/${encodeURIComponent(reference)}${suffix}`, body);
    if (leaves) {
      // Handed back: no longer this department's.
      S.selected = null;
      S.message = null;
      await loadInbox();
      root.prepend(h('div', { class: 'ok-message', id: 'dep-message', role: 'status', tabindex: '-1' }, tx(done)));
      document.getElementById('dep-message').focus();
      return;
    }
    S.message = tx(done);
    await open(reference, true);
  } catch (e) {
    if (!S.session) return;
    const errors = e instanceof ApiError ? e.fieldErrors || [] : [];
    S.problem = e instanceof ApiError
      ? tx('problem', { detail: errors.length ? errors.map((x) => `${tx('field.' + x.field)}: ${x.message}`).join('; ') : e.problem.detail || e.message })
      : tx('error.offline');
    render('dep-problem');
  }
}

async function loadInbox() {
  try {
    const page = await api(session(), 'GET', '/api/v1/signals?sort=due&status=received,in_progress&limit=200');
    S.items = page.items;
  } catch {
    if (!S.session) return;
    S.items = [];
  }
  render('h-inbox');
}

async function open(reference, keepMessage) {
  try {
    const [s, hist] = await Promise.all([
      api(session(), 'GET', '/api/v1/signals/' + encodeURIComponent(reference)),
      api(session(), 'GET', `/api/v1/signals/${encodeURIComponent(reference)}/history`),
    ]);
    S.selected = s;
    S.history = hist.items;
    S.problem = null;
    if (!keepMessage) S.message = null;
    const i = S.items.findIndex((x) => x.reference === reference);
    if (i >= 0) S.items[i] = s;
  } catch (e) {
    if (!S.session) return;
    S.problem = e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline');
  }
  render(keepMessage ? 'dep-message' : 'h-detail');
}

function signOut() {
  forgetToken();
  Object.assign(S, { session: null, items: [], selected: null, history: [], problem: null, message: null });
  render();
}

async function onSignedIn(sess) {
  S.session = sess;
  await loadInbox();
}

startPage(root, TEXTS, { roles: ROLES, setup: (config) => { S.config = config; }, onSignedIn, render: () => render() });
