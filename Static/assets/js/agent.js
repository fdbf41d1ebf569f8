// The agent console (/agent) of the 0800 line: today's calls newest first, a ringing call
// highlighted with its waiting time counting up (and, if the agent turns it on, a short beep),
// logging what came of a call with the caller's history beside it, a phone signal straight
// from a call, calls the exchange did not report, the call-back list, and looking a signal up
// by its reference. Polls the service every few seconds; waiting times tick every second on
// the service's clock (the offset from its Date header), not the workstation's.
import { loadConfig, request, createWithRetry, ApiError, uuid } from './api.js';
import { openSession, storedToken, forgetToken } from './session.js';
import { setLanguage, getLanguage, t, localName, renderLanguageSwitch, markLanguage, LANGUAGES } from './i18n.js';
import { h, errorSummary, textField, radios, select, checkedValue } from './dom.js';
import { loadAgentTexts, at, hasText, applyAgentTexts } from './agent-texts.js';
import { wireAddress, uploadPhoto, photoErrorKey, photoInput, PHOTO_TYPES } from './staff-places.js';

const LANG_KEY = 'opunt.agent.lang';
const SOUND_KEY = 'opunt.agent.sound';
const POLL_MS = 5000;
const TICK_MS = 1000;
const HISTORY_LIMIT = 10;
const ROLES = new Set(['agent', 'coordinator', 'admin']);
const OUTCOMES = ['information', 'signal', 'forwarded_external', 'ombuds_referral', 'no_action'];
const KINDS = ['report', 'complaint', 'suggestion', 'compliment'];
// Where a field error of the API is shown, per panel.
const FIELD_IDS = {
  outcome: 'a-outcome', topic: 'a-topic', note: 'a-note', signal_reference: 'a-reference', from: 'a-number',
  direction: 'a-direction', kind: 's-kind', category: 's-category', description: 's-description', address: 's-address',
  'contact.name': 's-name', 'contact.phone': 's-phone', 'contact.email': 's-email', consent_forward: 's-consent',
  token: 'a-token', lookup: 'lookup-reference', lat: 's-address', lon: 's-address', district: 's-address',
  'contact.language': 's-language', photo: 's-photo',
};

const root = document.getElementById('main');
const bar = document.getElementById('agent-bar');
const langNav = document.getElementById('language-switch');
const S = {
  token: null, session: null, config: null, view: 'signin',
  calls: [], callbacks: [], onlyUnlogged: false, updatedAt: null, offline: false,
  panel: null, callId: null, values: {}, errors: [], message: null, pending: null, sending: false,
  lookup: { value: '', result: null, error: null, history: null }, callbackMessage: null, pollTimer: null, polling: false,
  // The service's clock minus ours, in ms; the ringing calls seen at the last poll; the beep.
  clockOffset: 0, ringing: new Set(), ringingMessage: '', tickTimer: null, audio: null,
  sound: localStorage.getItem(SOUND_KEY) === 'on',
  // The open call's caller history: { callId, items, next, loading, error }.
  history: null,
};
const serverNow = () => Date.now() + S.clockOffset;

// -- formatting ----------------------------------------------------------------------
const locale = () => getLanguage() + '-BE';
function clock(iso) {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat(locale(), { timeStyle: 'medium', timeZone: S.config.time_zone }).format(new Date(iso));
  } catch {
    return iso;
  }
}
function dateTime(iso) {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: S.config.time_zone }).format(new Date(iso));
  } catch {
    return iso;
  }
}
function duration(seconds) {
  if (seconds == null) return '—';
  const s = Math.round(seconds);
  return s < 60 ? at('duration.seconds', { s }) : at('duration.minutes', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
}
function number(call) {
  const n = call.direction === 'out' ? call.to : call.from;
  if (n == null) return call.personal_data_removed ? at('number.removed') : at('number.unknown');
  return n.toLowerCase() === 'anonymous' ? at('number.anonymous') : n;
}
const dialable = (call) => {
  const n = call.direction === 'out' ? call.to : call.from;
  return n && n.toLowerCase() !== 'anonymous' ? n : null;
};
const needsLog = (c) => c.outcome == null && (c.answered_at != null || c.manual);
const isRinging = (c) => c.state === 'ringing';
const unanswered = (c) => c.direction === 'in' && (c.state === 'abandoned' || c.state === 'missed');

/** A call's status in words. "Gemist" and "Opgehangen" both mean the same to an agent: call
 * back. Once off the list, why: called back, the caller got through later, or cleared by hand. */
function stateLabel(c) {
  if (c.state !== 'abandoned' && c.state !== 'missed') return at('state.' + c.state);
  if (!unanswered(c)) return at('state.unanswered');
  if (c.needs_callback) return at('state.callback');
  if (c.callback_cleared_reason) return at('state.callback_' + c.callback_cleared_reason);
  return at('state.unanswered');
}

/** Seconds since an instant, on the service's clock. */
const since = (iso) => Math.max(0, (serverNow() - Date.parse(iso)) / 1000);
const byId = (id) => S.calls.find((c) => c.id === id) || S.callbacks.find((c) => c.id === id) || null;

// -- a render that keeps the keyboard where it was -----------------------------------
function keepFocus(rebuild) {
  const active = document.activeElement;
  const key = active && active.dataset ? active.dataset.focusKey : null;
  rebuild();
  if (key) {
    const again = document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

function focusFirst(container, selector) {
  const el = container.querySelector(selector);
  if (el) {
    if (!el.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) el.tabIndex = -1;
    el.focus();
  }
}

// -- header --------------------------------------------------------------------------
function renderBar() {
  if (!S.session) { bar.hidden = true; bar.replaceChildren(); return; }
  bar.hidden = false;
  bar.replaceChildren(h('p', { class: 'desk-bar__who' }, at('signed_in', { name: S.session.name })),
    h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'sign-out', onclick: signOut }, at('sign_out')));
}

function renderLanguages() {
  renderLanguageSwitch(langNav, S.config ? S.config.languages : null, changeLanguage);
  markLanguage(langNav);
}

// -- sign-in -------------------------------------------------------------------------
function viewSignin() {
  const err = S.errors.find((e) => e.field === 'token');
  root.replaceChildren(
    errorSummary(S.errors.map((e) => ({ ...e, target: FIELD_IDS[e.field] }))) || '',
    h('h1', { class: 'page-heading' }, at('signin.title')),
    h('form', { novalidate: true, class: 'question', onsubmit: (e) => { e.preventDefault(); signIn(); } },
      textField({ id: 'a-token', label: at('signin.token'), hint: at('signin.hint'), type: 'password', autocomplete: 'off',
        spellcheck: 'false', autocapitalize: 'none', width: 'wide', error: err ? err.message : null }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary', 'data-action': 'sign-in' }, at('signin.button')))));
  document.title = `${at('signin.title')} — ${at('app')}`;
  const summary = root.querySelector('.error-summary');
  if (summary) summary.focus();
}

// -- the console ---------------------------------------------------------------------
function viewConsole() {
  const toggle = h('input', { type: 'checkbox', id: 'only-unlogged', checked: S.onlyUnlogged, 'data-focus-key': 'only-unlogged',
    onchange: (e) => { S.onlyUnlogged = e.target.checked; keepFocus(renderCalls); } });
  const sound = h('input', { type: 'checkbox', id: 'sound', checked: S.sound, 'data-focus-key': 'sound', onchange: (e) => setSound(e.target.checked) });
  root.replaceChildren(
    h('div', { class: 'agent-layout' },
      h('div', { class: 'agent-work' },
        h('h1', { id: 'h-calls', class: 'page-heading' }, at('calls.title')),
        h('section', { id: 'ringing', class: 'agent-ringing', 'aria-labelledby': 'h-ringing', hidden: true }),
        h('p', { id: 'ringing-status', class: 'visually-hidden', role: 'status', 'aria-live': 'assertive' }),
        h('section', { id: 'panel', class: 'agent-panel', 'aria-labelledby': 'panel-title' }),
        h('section', { class: 'agent-calls', 'aria-labelledby': 'h-calls' },
          h('p', { id: 'calls-status', class: 'agent-status', role: 'status', 'aria-live': 'polite' }),
          h('p', { id: 'calls-updated', class: 'agent-status agent-status--time' }),
          h('div', { class: 'agent-toolbar' },
            h('div', { class: 'agent-check' }, toggle, h('label', { for: 'only-unlogged' }, at('calls.only_unlogged'))),
            h('div', { class: 'agent-check' }, sound, h('label', { for: 'sound' }, at('sound.label'))),
            h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'manual-call',
              'data-focus-key': 'manual-call', onclick: openManual }, at('manual.open'))),
          h('div', { id: 'calls-table', class: 'agent-table-wrap' }))),
      h('div', { class: 'agent-side' },
        h('section', { class: 'agent-box', 'aria-labelledby': 'h-callbacks' },
          h('h2', { id: 'h-callbacks' }, at('callbacks.title')),
          h('p', { id: 'callbacks-status', class: 'agent-status', role: 'status', 'aria-live': 'polite' }),
          h('div', { id: 'callbacks' })),
        h('section', { class: 'agent-box', 'aria-labelledby': 'h-lookup' },
          h('h2', { id: 'h-lookup' }, at('lookup.title')),
          h('form', { novalidate: true, id: 'lookup-form', onsubmit: (e) => { e.preventDefault(); lookup(); } },
            textField({ id: 'lookup-reference', label: at('lookup.reference'), hint: at('lookup.hint'), width: 'medium',
              autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', value: S.lookup.value }),
            h('div', { class: 'actions actions--tight' },
              h('button', { type: 'submit', class: 'button button--small', 'data-action': 'lookup' }, at('lookup.button')))),
          h('div', { id: 'lookup-result' })))));
  renderCalls();
  renderCallbacks();
  renderPanel();
  renderLookup();
}

/** The calls ringing now, above everything else, each with its waiting time counting up; the tab title says how many. */
function renderRinging() {
  const box = document.getElementById('ringing');
  const ringing = S.calls.filter((c) => isRinging(c) && c.direction === 'in');
  document.title = ringing.length ? `(${ringing.length}) ${at('state.ringing')} — ${at('app')}` : at('app');
  if (!box) return;
  box.hidden = !ringing.length;
  if (!ringing.length) { box.replaceChildren(); return; }
  box.replaceChildren(
    h('h2', { id: 'h-ringing' }, at('ringing.title', { count: ringing.length })),
    h('ul', { class: 'agent-ringing__list', id: 'ringing-list' }, ringing.map((c) => h('li', { class: 'agent-ringing__call', 'data-call-id': c.id },
      h('span', { class: 'agent-ringing__number' }, number(c)),
      h('span', { class: 'agent-ringing__wait' }, at('ringing.waiting'), ' ',
        h('strong', { class: 'live-wait', 'data-since': c.arrived_at, 'data-call-id': c.id }, duration(since(c.arrived_at)))),
      h('button', { type: 'button', class: 'button button--small', 'data-action': 'open-call', 'data-call-id': c.id,
        'data-focus-key': 'ring-' + c.id, onclick: () => openCall(c.id) },
      at('calls.open'), h('span', { class: 'visually-hidden' }, ' ' + at('calls.open_which', { time: clock(c.arrived_at), number: number(c) })))))));
}

/** Every second: the waiting (and talking) times of calls still going, on the service's clock. */
function tick() {
  for (const el of document.querySelectorAll('[data-since]')) el.textContent = duration(since(el.dataset.since));
}

function renderCalls() {
  renderRinging();
  const box = document.getElementById('calls-table');
  if (!box) return;
  // The live region changes only when the counts do (or the service goes away), so a
  // screen reader is not told the time every few seconds; the time sits beside it.
  const status = document.getElementById('calls-status');
  const todo = S.calls.filter(needsLog).length;
  const text = S.offline ? at('status.offline') : S.updatedAt ? at('calls.status', { count: S.calls.length, todo }) : at('loading');
  if (status.textContent !== text) status.textContent = text;
  status.classList.toggle('agent-status--offline', S.offline);
  const updated = document.getElementById('calls-updated');
  updated.textContent = S.updatedAt ? at('calls.updated', { time: clock(S.updatedAt.toISOString()) }) : '';

  const shown = S.onlyUnlogged ? S.calls.filter(needsLog) : S.calls;
  if (!shown.length) {
    box.replaceChildren(h('p', { class: 'hint', id: 'calls-empty' }, at(S.onlyUnlogged ? 'calls.none_to_log' : 'calls.empty')));
    return;
  }
  const cols = ['time', 'number', 'state', 'durations', 'agent', 'outcome', 'action'];
  box.replaceChildren(h('table', { class: 'calls-table', id: 'calls' },
    h('caption', { class: 'visually-hidden' }, at('calls.caption')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, at('calls.col.' + c))))),
    h('tbody', {}, shown.map(callRow))));
}

/** The waiting and talking times: counting up while the call is still going. */
function durations(c) {
  const live = (iso) => h('span', { class: 'live-wait', 'data-since': iso }, duration(since(iso)));
  if (isRinging(c) && c.arrived_at) return [live(c.arrived_at), h('br'), '—'];
  if (c.state === 'talking' && c.answered_at) return [duration(c.wait_seconds), h('br'), live(c.answered_at)];
  return [duration(c.wait_seconds), h('br'), duration(c.talk_seconds)];
}

function callRow(c) {
  const todo = needsLog(c);
  const ringing = isRinging(c);
  const state = [h('span', { class: c.needs_callback ? 'badge badge--callback' : ringing ? 'badge badge--ringing' : '' }, stateLabel(c))];
  if (c.direction === 'out') state.push(h('span', { class: 'badge' }, at('calls.outbound')));
  if (c.manual) state.push(h('span', { class: 'badge' }, at('calls.manual')));
  if (todo) state.push(h('span', { class: 'badge badge--todo' }, at('calls.todo')));
  const selected = S.callId === c.id && S.panel;
  const cls = [todo ? 'calls-table__row--todo' : '', ringing ? 'calls-table__row--ringing' : '', selected ? 'calls-table__row--selected' : ''];
  return h('tr', { class: cls.filter(Boolean).join(' '), 'data-call-id': c.id, 'data-state': c.state },
    h('td', {}, clock(c.arrived_at)),
    h('td', { class: 'calls-table__number' }, number(c)),
    h('td', {}, h('span', { class: 'calls-table__state' }, state)),
    h('td', { class: 'calls-table__durations' }, durations(c)),
    h('td', {}, c.agent || '—'),
    h('td', {}, c.outcome ? at('outcome.' + c.outcome) : '—', c.signal_reference ? h('span', { class: 'calls-table__ref' }, ' ' + c.signal_reference) : null),
    h('td', {}, h('button', {
      type: 'button', class: 'button button--small' + (todo ? '' : ' button--secondary'), 'data-action': 'open-call',
      'data-call-id': c.id, 'data-focus-key': 'open-' + c.id, onclick: () => openCall(c.id),
    }, at(todo ? 'calls.log' : 'calls.open'), h('span', { class: 'visually-hidden' }, ' ' + at('calls.open_which', { time: clock(c.arrived_at), number: number(c) })))));
}

function renderCallbacks() {
  const box = document.getElementById('callbacks');
  if (!box) return;
  const status = document.getElementById('callbacks-status');
  const text = S.callbackMessage || '';
  if (status.textContent !== text) status.textContent = text;
  if (!S.callbacks.length) {
    box.replaceChildren(h('p', { class: 'hint', id: 'callbacks-empty' }, at('callbacks.empty')));
    return;
  }
  box.replaceChildren(h('ul', { class: 'callback-list', id: 'callback-list' }, S.callbacks.map((c) => {
    const n = dialable(c);
    return h('li', { class: 'callback-list__item', 'data-call-id': c.id },
      h('p', { class: 'callback-list__number' }, n ? h('a', { href: 'tel:' + n.replace(/[^0-9+]/g, ''), 'data-focus-key': 'tel-' + c.id }, n) : number(c)),
      h('p', { class: 'callback-list__meta' }, at('callbacks.meta', { time: clock(c.arrived_at), count: c.attempts || 1 })),
      h('div', { class: 'callback-list__actions' },
        h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'open-callback', 'data-call-id': c.id,
          'data-focus-key': 'cb-open-' + c.id, onclick: () => openCall(c.id) },
          at('callbacks.open'), h('span', { class: 'visually-hidden' }, ' ' + at('callbacks.open_which', { number: number(c) }))),
        h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'clear-callback', 'data-call-id': c.id,
          'data-focus-key': 'clear-' + c.id, onclick: () => clearCallback(c) },
          at('callbacks.clear'), h('span', { class: 'visually-hidden' }, ' ' + at('callbacks.clear_which', { number: number(c) })))));
  })));
}

// -- the side panel: log a call, a signal from it, a call the exchange missed ----------
function fieldError(field) {
  const e = S.errors.find((x) => x.field === field);
  return e ? e.message : null;
}

function outcomeRadios(value) {
  return radios({ id: 'a-outcome', name: 'outcome', legend: at('log.outcome'), error: fieldError('outcome'), value,
    options: OUTCOMES.map((o) => ({ value: o, label: at('outcome.' + o) })) });
}

function logFields(v) {
  return [
    outcomeRadios(v.outcome),
    textField({ id: 'a-reference', label: at('log.reference'), hint: at('log.reference_hint'), width: 'medium', autocomplete: 'off',
      spellcheck: 'false', autocapitalize: 'characters', value: v.signal_reference || '', error: fieldError('signal_reference') }),
    textField({ id: 'a-topic', label: at('log.topic'), hint: at('log.topic_hint'), width: 'wide', autocomplete: 'off',
      maxlength: 200, value: v.topic || '', error: fieldError('topic') }),
    textField({ id: 'a-note', label: at('log.note'), multiline: true, rows: 3, maxlength: 2000, value: v.note || '', error: fieldError('note') }),
  ];
}

function callSummary(c) {
  const row = (key, value) => h('div', { class: 'summary__row' }, h('dt', { class: 'summary__key' }, at(key)), h('dd', { class: 'summary__value' }, value));
  const n = dialable(c);
  return h('dl', { class: 'summary agent-summary' },
    row('log.number', n ? h('a', { href: 'tel:' + n.replace(/[^0-9+]/g, '') }, n) : number(c)),
    row('log.state', stateLabel(c) + (c.direction === 'out' ? ` (${at('calls.outbound')})` : '')),
    row('log.arrived', clock(c.arrived_at)),
    row('log.wait', isRinging(c) && c.arrived_at ? h('span', { class: 'live-wait', 'data-since': c.arrived_at }, duration(since(c.arrived_at))) : duration(c.wait_seconds)),
    row('log.talk', c.state === 'talking' && c.answered_at ? h('span', { class: 'live-wait', 'data-since': c.answered_at }, duration(since(c.answered_at))) : duration(c.talk_seconds)),
    row('log.agent', c.agent || '—'),
    c.logged_by ? row('log.logged_by', `${c.logged_by}, ${clock(c.logged_at)}`) : null);
}

// -- the caller's history: earlier calls of the same number, and the signals made from them --
function historyEntry(e) {
  const what = [stateLabel(e)];
  if (e.direction === 'out') what.push(at('calls.outbound'));
  if (e.outcome) what.push(at('outcome.' + e.outcome));
  const sig = e.signal;
  return h('li', { class: 'caller-history__item', 'data-call-id': e.id },
    h('p', { class: 'caller-history__when' }, dateTime(e.arrived_at)),
    h('p', { class: 'caller-history__what' }, what.join(' · ')),
    e.topic ? h('p', { class: 'caller-history__topic' }, e.topic) : null,
    sig ? h('p', { class: 'caller-history__signal' },
      h('strong', { class: 'calls-table__ref' }, sig.reference), ' — ',
      [at('status.' + sig.status), sig.department ? at('history.department', { department: departmentName(sig.department) }) : null,
        sig.answered_at ? at('history.answered', { date: dateTime(sig.answered_at) }) : null].filter(Boolean).join(' · '))
      : e.signal_reference ? h('p', { class: 'caller-history__signal' }, h('strong', { class: 'calls-table__ref' }, e.signal_reference)) : null);
}

function historyBlock() {
  const hs = S.history;
  const box = h('section', { class: 'caller-history', id: 'caller-history', 'aria-labelledby': 'h-history' },
    h('h3', { id: 'h-history' }, at('history.title')));
  if (!hs || (hs.loading && !hs.items.length)) box.append(h('p', { class: 'hint' }, at('history.loading')));
  else if (hs.error) box.append(h('p', { class: 'problem', role: 'alert' }, hs.error));
  else if (!hs.items.length) box.append(h('p', { class: 'hint', id: 'history-empty' }, at('history.empty')));
  else {
    box.append(h('ol', { class: 'caller-history__list', id: 'history-list' }, hs.items.map(historyEntry)));
    if (hs.next) {
      box.append(h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'more-history',
        'data-focus-key': 'more-history', onclick: () => loadHistory(hs.callId, hs.next) }, at('history.more')));
    }
  }
  return box;
}

/** Loads (a next page of) the caller's history of a call, then shows it where the panel has it. */
async function loadHistory(callId, cursor = null) {
  if (!cursor) S.history = { callId, items: [], next: null, loading: true, error: null };
  else S.history.loading = true;
  try {
    const q = `/api/v1/calls/${callId}/history?limit=${HISTORY_LIMIT}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`;
    const doc = await request('GET', q, { token: S.token });
    if (!S.history || S.history.callId !== callId) return;
    S.history.items.push(...doc.items);
    S.history.next = doc.next_cursor;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    if (S.history && S.history.callId === callId) S.history.error = at('status.offline');
  }
  if (!S.history || S.history.callId !== callId) return;
  S.history.loading = false;
  const old = document.getElementById('caller-history');
  if (old) keepFocus(() => old.replaceWith(historyBlock()));
  if (cursor) {
    const items = document.querySelectorAll('#history-list > li');
    const first = items[items.length - Math.min(items.length, HISTORY_LIMIT)];
    if (first && !document.querySelector('[data-action=more-history]')) focusFirst(first, 'p');
  }
}

function departmentName(key) {
  const d = (S.config.departments || []).find((x) => x.key === key);
  return d ? localName(d.name) : key;
}

function panelFrame(title, ...content) {
  const panel = document.getElementById('panel');
  const summary = errorSummary(S.errors.map((e) => ({ ...e, target: FIELD_IDS[e.field] || 'panel-title' })));
  panel.replaceChildren(h('h2', { id: 'panel-title', tabindex: '-1' }, title), ...[summary, ...content].filter(Boolean));
  return panel;
}

function renderPanel() {
  const panel = document.getElementById('panel');
  if (!panel) return;
  panel.hidden = !S.panel;
  if (!S.panel) { panel.replaceChildren(); return; }
  const call = S.callId ? byId(S.callId) : null;
  const v = S.values;
  const message = S.message ? h('div', { class: 'notice agent-message', id: 'panel-message', role: 'status', tabindex: '-1' }, S.message) : null;
  const close = h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'close-panel', onclick: closePanel }, at('panel.close'));

  if (S.panel === 'log' && call) {
    panelFrame(at('log.title', { time: clock(call.arrived_at) }), message,
      h('div', { class: 'agent-panel__columns' },
        h('div', { class: 'agent-panel__about' }, callSummary(call), historyBlock()),
        h('form', { novalidate: true, id: 'log-form', onsubmit: (e) => { e.preventDefault(); saveLog(); } },
          logFields(v),
          h('div', { class: 'actions actions--row' },
            h('button', { type: 'submit', class: 'button', 'data-action': 'save-log' }, at('log.save')),
            call.signal_reference ? null : h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'make-signal', onclick: openSignal }, at('log.make_signal')),
            close))));
  } else if (S.panel === 'signal' && call) {
    panelFrame(at('signal.title', { time: clock(call.arrived_at) }), message,
      h('div', { class: 'agent-panel__columns' }, signalForm(v, close), h('div', { class: 'agent-panel__about' }, callSummary(call), historyBlock())));
  } else if (S.panel === 'manual') {
    panelFrame(at('manual.title'), message,
      h('form', { novalidate: true, id: 'manual-form', onsubmit: (e) => { e.preventDefault(); saveManual(); } },
        radios({ id: 'a-direction', name: 'direction', legend: at('manual.direction'), value: v.direction || 'in', error: fieldError('direction'),
          options: [{ value: 'in', label: at('manual.direction_in') }, { value: 'out', label: at('manual.direction_out') }] }),
        textField({ id: 'a-number', label: at('manual.number'), hint: at('manual.number_hint'), type: 'tel', inputmode: 'tel', width: 'medium',
          autocomplete: 'off', value: v.from || '', error: fieldError('from') }),
        logFields(v),
        h('div', { class: 'actions actions--row' },
          h('button', { type: 'submit', class: 'button', 'data-action': 'save-manual' }, at('manual.save')), close)));
  } else if (S.panel === 'done') {
    panelFrame(S.values.title || at('panel.done'), message,
      S.values.reference ? h('p', {}, at('signal.reference'), ' ', h('strong', { class: 'reference agent-reference', id: 'signal-reference' }, S.values.reference)) : null,
      h('div', { class: 'actions actions--row' }, close));
  } else {
    S.panel = null;
    panel.hidden = true;
    panel.replaceChildren();
  }
}

function categoryOptions() {
  const opts = [{ value: '', label: at('signal.category_choose') }];
  for (const c of S.config.categories) {
    if (c.subcategories && c.subcategories.length) {
      opts.push({ group: localName(c.name), options: [{ value: c.key, label: `${localName(c.name)} — ${at('signal.category_general')}` },
        ...c.subcategories.map((s) => ({ value: `${c.key}/${s.key}`, label: `${localName(c.name)} — ${localName(s.name)}` }))] });
    } else opts.push({ value: c.key, label: localName(c.name) });
  }
  return opts;
}

/** The outside body a category belongs to, if any (consent to forward is then asked). */
function party(category) {
  if (!category) return null;
  const [main, sub] = category.split('/');
  const c = S.config.categories.find((x) => x.key === main);
  if (!c) return null;
  const s = sub ? (c.subcategories || []).find((x) => x.key === sub) : null;
  const key = (s && s.external_party) || c.external_party;
  return key ? S.config.external_parties.find((p) => p.key === key) || { key, name: key } : null;
}

function consentBlock(v) {
  const p = party(v.category);
  const box = h('div', { id: 'consent-block' });
  if (p) {
    box.append(radios({ id: 's-consent', name: 'consent', legend: at('signal.consent', { party: localName(p.name) }), error: fieldError('consent_forward'),
      value: v.consent == null ? null : String(v.consent),
      options: [{ value: 'true', label: at('answer.yes') }, { value: 'false', label: at('answer.no') }] }),
    h('p', { class: 'hint' }, at('signal.party', { party: localName(p.name) }) + ' ' + [p.phone, p.email, p.url].filter(Boolean).join(' · ')));
  }
  return box;
}

function signalForm(v, close) {
  const form = h('form', { novalidate: true, id: 'signal-form', onsubmit: (e) => { e.preventDefault(); createSignal(); } },
    radios({ id: 's-kind', name: 'kind', legend: at('signal.kind'), error: fieldError('kind'), value: v.kind, columns: true,
      options: KINDS.map((k) => ({ value: k, label: t(`kind.${k}.label`) })) }),
    select({ id: 's-category', label: at('signal.category'), error: fieldError('category'), value: v.category || '', options: categoryOptions() }),
    textField({ id: 's-description', label: at('signal.description'), multiline: true, rows: 5, maxlength: S.config.rules.max_length.description, value: v.description || '', error: fieldError('description') }),
    textField({ id: 's-address', label: at('signal.address'), hint: at('signal.address_hint'), width: 'wide', autocomplete: 'off', value: v.address || '', error: fieldError('address') }),
    h('p', { class: 'place-chosen', id: 's-place', role: 'status' }, placeText(v.place)),
    h('fieldset', { class: 'fieldset' }, h('legend', { class: 'legend' }, at('signal.contact')),
      textField({ id: 's-name', label: at('signal.name'), width: 'wide', autocomplete: 'off', value: v.name || '', error: fieldError('contact.name') }),
      textField({ id: 's-phone', label: at('signal.phone'), type: 'tel', inputmode: 'tel', width: 'medium', autocomplete: 'off', value: v.phone || '', error: fieldError('contact.phone') }),
      textField({ id: 's-email', label: at('signal.email'), type: 'email', inputmode: 'email', width: 'wide', autocomplete: 'off', spellcheck: 'false',
        autocapitalize: 'none', value: v.email || '', error: fieldError('contact.email') }),
      select({ id: 's-language', label: at('signal.language'), hint: at('signal.language_hint'), error: fieldError('contact.language'),
        value: v.language || getLanguage(),
        options: (S.config.languages || LANGUAGES).map((l) => ({ value: l, label: at('language.' + l) })) })),
    consentBlock(v),
    photoInput({ id: 's-photo', label: at('signal.photo'), hint: at('signal.photo_hint'), error: fieldError('photo') }),
    h('p', { class: 'hint', id: 's-photo-chosen' }, v.photo ? at('signal.photo_chosen', { name: v.photo.name }) : ''),
    h('div', { class: 'status', id: 'signal-status', role: 'status', 'aria-live': 'polite' }),
    h('div', { class: 'actions actions--row' },
      h('button', { type: 'submit', class: 'button', 'data-action': 'create-signal' }, at('signal.create')), close));
  form.querySelector('#s-photo').addEventListener('change', (e) => {
    S.values.photo = e.target.files && e.target.files[0] ? e.target.files[0] : null;
    form.querySelector('#s-photo-chosen').textContent = S.values.photo ? at('signal.photo_chosen', { name: S.values.photo.name }) : '';
  });
  wireAddress(form.querySelector('#s-address'), {
    label: (n) => at('signal.address_count', { n }), listLabel: at('signal.address_list'),
    onPick: (fields) => {
      S.values.place = fields;
      form.querySelector('#s-place').textContent = placeText(fields);
    },
  });
  form.addEventListener('change', (e) => {
    if (e.target.id === 's-category') {
      collect();
      form.querySelector('#consent-block').replaceWith(consentBlock(S.values));
    }
  });
  return form;
}

/** Under the address: the district a chosen suggestion lies in. */
function placeText(place) {
  if (!place) return '';
  const d = place.district && S.config.districts.find((x) => x.key === place.district);
  return d ? at('signal.address_placed_district', { district: localName(d.name) }) : at('signal.address_placed');
}

/** Reads the open panel's fields into S.values, so a re-render (or a language switch) keeps them. */
function collect() {
  const panel = document.getElementById('panel');
  if (!panel || !S.panel) return;
  const val = (id) => { const el = panel.querySelector('#' + id); return el ? el.value : undefined; };
  const v = S.values;
  if (panel.querySelector('#log-form, #manual-form')) {
    v.outcome = checkedValue(panel, 'outcome');
    v.signal_reference = val('a-reference');
    v.topic = val('a-topic');
    v.note = val('a-note');
  }
  if (panel.querySelector('#manual-form')) {
    v.direction = checkedValue(panel, 'direction') || 'in';
    v.from = val('a-number');
  }
  if (panel.querySelector('#signal-form')) {
    v.kind = checkedValue(panel, 'kind');
    v.category = val('s-category');
    v.description = val('s-description');
    v.address = val('s-address');
    v.name = val('s-name');
    v.phone = val('s-phone');
    v.email = val('s-email');
    v.language = val('s-language');
    const c = checkedValue(panel, 'consent');
    v.consent = c == null ? null : c === 'true';
  }
}

function showPanel(focusSelector = '#panel-title') {
  keepFocus(renderCalls);
  renderPanel();
  const panel = document.getElementById('panel');
  const summary = panel.querySelector('.error-summary');
  if (summary) summary.focus();
  else focusFirst(panel, focusSelector);
}

function openCall(id) {
  const c = byId(id);
  if (!c) return;
  Object.assign(S, { panel: 'log', callId: id, errors: [], message: null, pending: null,
    values: { outcome: c.outcome, topic: c.topic, note: c.note, signal_reference: c.signal_reference } });
  if (!S.history || S.history.callId !== id) S.history = { callId: id, items: [], next: null, loading: true, error: null };
  showPanel();
  loadHistory(id);
}

function openSignal() {
  const c = byId(S.callId);
  if (!c) return;
  collect();
  const n = dialable(c);
  Object.assign(S, { panel: 'signal', errors: [], message: null, pending: null,
    values: { kind: 'report', phone: n && /^\+?[0-9][0-9 ./()-]{5,}$/.test(n) ? n : '', description: S.values.note || '' } });
  showPanel();
}

function openManual() {
  Object.assign(S, { panel: 'manual', callId: null, errors: [], message: null, pending: null, values: { direction: 'in' } });
  showPanel();
}

function closePanel() {
  const id = S.callId;
  Object.assign(S, { panel: null, callId: null, errors: [], message: null, values: {}, pending: null, history: null });
  renderPanel();
  keepFocus(renderCalls);
  const back = id && document.querySelector(`[data-focus-key="open-${id}"]`);
  if (back) back.focus();
  else focusFirst(document, '#h-calls');
}

// -- the ring: a short beep when a new call rings, if the agent turned it on ------------
function setSound(on) {
  S.sound = on;
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  if (on) {
    // Made (or woken) in the click itself: browsers let a page make sound only after a gesture.
    try {
      S.audio = S.audio || new AudioContext();
      if (S.audio.state === 'suspended') S.audio.resume();
    } catch { S.audio = null; }
    beep();
  }
}

/** Two short tones made with WebAudio: no sound file to load. */
function beep() {
  if (!S.sound) return;
  try {
    S.audio = S.audio || new AudioContext();
    const ctx = S.audio;
    const start = ctx.currentTime + 0.02;
    for (const [offset, freq] of [[0, 880], [0.22, 660]]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.2);
    }
  } catch {
    // No audio on this workstation: the highlight and the tab title still say it.
  }
}

/** After a poll: a call that rings now and did not at the last poll is announced (and beeps). */
function noticeRinging() {
  const now = S.calls.filter((c) => isRinging(c) && c.direction === 'in');
  const fresh = now.filter((c) => !S.ringing.has(c.id));
  S.ringing = new Set(now.map((c) => c.id));
  if (!fresh.length) return;
  S.ringingMessage = at('ringing.new', { number: number(fresh[0]) });
  const status = document.getElementById('ringing-status');
  if (status) status.textContent = S.ringingMessage;
  beep();
}

// -- actions --------------------------------------------------------------------------
const fieldMessage = (field) => (hasText('error.api.' + field) ? at('error.api.' + field) : at('error.api.generic'));

/** Turns a refused request into messages next to the fields, or one problem message. */
function refused(e) {
  if (e instanceof ApiError && e.status === 401) { signOut(); return true; }
  if (e instanceof ApiError && e.status === 422 && e.fieldErrors.length) {
    const seen = new Set();
    S.errors = [];
    for (const fe of e.fieldErrors) {
      const field = fe.field.startsWith('contact.') ? fe.field : fe.field.split('.')[0];
      if (seen.has(field)) continue;
      seen.add(field);
      S.errors.push({ field: FIELD_IDS[field] ? field : 'panel', message: fieldMessage(field) });
    }
  } else if (e instanceof ApiError && e.status === 409) {
    S.errors = [{ field: 'panel', message: at('error.conflict') }];
  } else if (e instanceof ApiError) {
    S.errors = [{ field: 'panel', message: at('error.refused', { status: e.status }) }];
  } else {
    S.errors = [{ field: 'panel', message: at('status.offline') }];
  }
  return false;
}

function logBody(v) {
  const trim = (s) => (s == null ? '' : String(s).trim());
  return {
    outcome: v.outcome || null,
    topic: trim(v.topic) || null,
    note: trim(v.note) || null,
    signal_reference: trim(v.signal_reference) || null,
  };
}

function checkLog(v) {
  const errors = [];
  if (!v.outcome) errors.push({ field: 'outcome', message: at('error.api.outcome') });
  if (v.outcome === 'signal' && !String(v.signal_reference || '').trim()) errors.push({ field: 'signal_reference', message: at('error.api.signal_reference') });
  return errors;
}

async function saveLog() {
  if (S.sending) return;
  collect();
  S.errors = checkLog(S.values);
  S.message = null;
  if (S.errors.length) return showPanel();
  S.sending = true;
  try {
    const call = await request('PATCH', `/api/v1/calls/${S.callId}`, { token: S.token, body: logBody(S.values) });
    replaceCall(call);
    S.message = at('log.saved', { outcome: at('outcome.' + call.outcome) });
    S.values = { outcome: call.outcome, topic: call.topic, note: call.note, signal_reference: call.signal_reference };
    showPanel('#panel-message');
  } catch (e) {
    if (!refused(e)) showPanel();
  } finally {
    S.sending = false;
  }
}

async function saveManual() {
  if (S.sending) return;
  collect();
  const v = S.values;
  S.errors = checkLog(v);
  S.message = null;
  if (S.errors.length) return showPanel();
  const body = { direction: v.direction || 'in', ...logBody(v) };
  const n = String(v.from || '').trim();
  if (n) body[body.direction === 'out' ? 'to' : 'from'] = n;
  for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
  const json = JSON.stringify(body);
  if (!S.pending || S.pending.body !== json) S.pending = { key: uuid(), body: json };
  S.sending = true;
  try {
    const call = await createWithRetry('/api/v1/calls', body, { token: S.token, key: S.pending.key, budgetMs: 20000 });
    S.pending = null;
    replaceCall(call);
    Object.assign(S, { panel: 'done', callId: call.id, errors: [], message: at('manual.saved'), values: { title: at('manual.title') } });
    showPanel('#panel-message');
    // An outbound call returns the calls of that number: the call-back list changes now, not at the next poll.
    refresh();
  } catch (e) {
    if (!refused(e)) showPanel();
  } finally {
    S.sending = false;
  }
}

function signalBody(v) {
  const body = { kind: v.kind, category: v.category, description: (v.description || '').trim() };
  if ((v.address || '').trim()) body.address = v.address.trim();
  // A chosen address brings its coordinates; the service places the district from them (§14).
  if (v.place && v.place.address === (v.address || '').trim()) {
    body.lat = v.place.lat;
    body.lon = v.place.lon;
    if (v.place.district) body.district = v.place.district;
  }
  const contact = {};
  for (const [k, f] of [['name', 'name'], ['phone', 'phone'], ['email', 'email']]) if ((v[f] || '').trim()) contact[k] = v[f].trim();
  // The language the caller wants the reply in, as the agent chose it (not the console's own).
  if (Object.keys(contact).length) contact.language = v.language || getLanguage();
  if (Object.keys(contact).length) body.contact = contact;
  if (party(v.category) && v.consent != null) body.consent_forward = v.consent;
  return body;
}

async function createSignal() {
  if (S.sending) return;
  collect();
  const v = S.values;
  S.errors = [];
  if (!v.kind) S.errors.push({ field: 'kind', message: at('error.api.kind') });
  if (!v.category) S.errors.push({ field: 'category', message: at('error.api.category') });
  if (!(v.description || '').trim()) S.errors.push({ field: 'description', message: at('error.api.description') });
  if (v.photo && !PHOTO_TYPES.includes(v.photo.type)) S.errors.push({ field: 'photo', message: at('photo.error.type') });
  else if (v.photo && v.photo.size > S.config.photos.max_bytes) S.errors.push({ field: 'photo', message: at('photo.error.large') });
  if (S.errors.length) return showPanel();
  const body = signalBody(v);
  const json = JSON.stringify(body);
  if (!S.pending || S.pending.body !== json) S.pending = { key: uuid(), body: json };
  S.sending = true;
  const status = document.getElementById('signal-status');
  if (status) status.textContent = at('signal.sending');
  try {
    const signal = await createWithRetry(`/api/v1/calls/${S.callId}/signal`, body, {
      token: S.token, key: S.pending.key, budgetMs: 30000, onWait: () => { if (status) status.textContent = at('signal.waiting'); },
    });
    S.pending = null;
    let photoNote = '';
    if (v.photo) {
      if (status) status.textContent = at('signal.photo_sending');
      try {
        await uploadPhoto(S.token, signal.reference, v.photo);
        photoNote = ' ' + at('signal.photo_stored');
      } catch (pe) {
        photoNote = ' ' + at('signal.photo_failed', { reason: at('photo.' + photoErrorKey(pe)) });
      }
    }
    Object.assign(S, { panel: 'done', errors: [], message: at('signal.created', { reference: signal.reference }) + photoNote,
      values: { title: at('signal.done_title'), reference: signal.reference } });
    await refresh();
    showPanel('#panel-message');
  } catch (e) {
    if (!refused(e)) showPanel();
  } finally {
    S.sending = false;
  }
}

async function clearCallback(c) {
  try {
    await request('POST', `/api/v1/calls/${c.id}/callback-cleared`, { token: S.token });
    S.callbackMessage = at('callbacks.cleared', { number: number(c) });
    S.callbacks = S.callbacks.filter((x) => x.id !== c.id);
    renderCallbacks();
    const next = document.querySelector('[data-action="clear-callback"]');
    if (next) next.focus();
    else focusFirst(document, '#h-callbacks');
    refresh();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    S.callbackMessage = at('status.offline');
    renderCallbacks();
  }
}

async function lookup() {
  const input = document.getElementById('lookup-reference');
  const raw = (input.value || '').trim();
  S.lookup = { value: raw, result: null, error: null, history: null };
  if (!raw) {
    S.lookup.error = at('lookup.empty');
  } else {
    try {
      S.lookup.result = await request('GET', '/api/v1/signals/' + encodeURIComponent(raw), { token: S.token });
      const path = '/api/v1/signals/' + encodeURIComponent(S.lookup.result.reference) + '/history';
      S.lookup.history = (await request('GET', path, { token: S.token }).catch(() => ({ items: null }))).items;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signOut();
      S.lookup.error = e instanceof ApiError && e.status === 404 ? at('lookup.not_found', { reference: raw }) : at('status.offline');
    }
  }
  renderLookup();
  focusFirst(document.getElementById('lookup-result'), '.agent-lookup__title, .problem');
}

function categoryName(key) {
  const [main, sub] = (key || '').split('/');
  const c = S.config.categories.find((x) => x.key === main);
  if (!c) return key || '—';
  const s = sub ? (c.subcategories || []).find((x) => x.key === sub) : null;
  return s ? `${localName(c.name)} — ${localName(s.name)}` : localName(c.name);
}

function renderLookup() {
  const box = document.getElementById('lookup-result');
  if (!box) return;
  const { result, error } = S.lookup;
  if (error) { box.replaceChildren(h('div', { class: 'problem', role: 'alert' }, h('p', {}, error))); return; }
  if (!result) { box.replaceChildren(); return; }
  const row = (key, value) => h('div', { class: 'summary__row' }, h('dt', { class: 'summary__key' }, at(key)), h('dd', { class: 'summary__value' }, value));
  const party = result.external_party ? S.config.external_parties.find((p) => p.key === result.external_party) : null;
  box.replaceChildren(h('div', { class: 'agent-lookup', id: 'lookup-found' },
    h('h3', { class: 'agent-lookup__title', tabindex: '-1' }, result.reference),
    h('dl', { class: 'summary agent-summary' },
      row('lookup.status', at('status.' + result.status)),
      row('lookup.kind', t(`kind.${result.kind}.label`)),
      row('lookup.category', categoryName(result.category)),
      row('lookup.received', dateTime(result.received_at)),
      row('lookup.channel', at('channel.' + result.channel)),
      result.route ? row('lookup.route', at('route.' + result.route) + (party ? ` — ${localName(party.name)} ${party.phone || ''}` : '')) : null,
      row('lookup.department', result.department ? departmentName(result.department) : at('lookup.no_department')),
      row('lookup.answered', result.answered_at ? dateTime(result.answered_at) : at('lookup.not_answered')),
      result.answer ? row('lookup.answer', result.answer) : null),
    lookupHistory(S.lookup.history)));
}

/** What happened to the signal, step by step (its history as the service keeps it), newest last. */
function lookupHistory(items) {
  const box = h('div', { class: 'agent-lookup__history', id: 'lookup-history' }, h('h4', {}, at('lookup.history')));
  if (items == null) box.append(h('p', { class: 'hint' }, at('status.offline')));
  else if (!items.length) box.append(h('p', { class: 'hint' }, at('lookup.history_empty')));
  else {
    box.append(h('ol', { class: 'agent-lookup__steps' }, items.map((e) => h('li', {},
      h('span', { class: 'agent-lookup__when' }, dateTime(e.at)), ' ', historyChange(e)))));
  }
  return box;
}

function historyChange(e) {
  const field = hasText('field.' + e.field) ? at('field.' + e.field) : e.field;
  if (e.field === 'created') {
    const [channel, kind] = String(e.new_value || '').split('/');
    return at('lookup.created', { channel: hasText('channel.' + channel) ? at('channel.' + channel) : channel || '—', who: e.who });
  }
  if (e.redacted) return at('lookup.change_redacted', { field });
  let value = e.new_value;
  if (value == null || value === '') return at('lookup.change_cleared', { field });
  if (e.field === 'status' && hasText('status.' + value)) value = at('status.' + value);
  else if (e.field === 'route' && hasText('route.' + value)) value = at('route.' + value);
  else if (e.field === 'department') value = departmentName(value);
  else if (value.length > 140) value = value.slice(0, 140) + '…';
  return at('lookup.change', { field, value });
}

function replaceCall(call) {
  const i = S.calls.findIndex((c) => c.id === call.id);
  if (i >= 0) S.calls[i] = call;
  else S.calls.unshift(call);
}

// -- polling ----------------------------------------------------------------------------
/** A GET that also reads the service's clock from its Date header (to the second), so
 * waiting times count on the service's time even when this workstation's clock is off. */
async function getWithClock(path) {
  const sent = Date.now();
  const res = await fetch(path, {
    headers: { Accept: 'application/json, application/problem+json', Authorization: 'Bearer ' + S.token },
    cache: 'no-store', credentials: 'omit',
  });
  const received = Date.now();
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) throw new ApiError(res.status, data, 0);
  const date = Date.parse(res.headers.get('Date') || '');
  // The header has whole seconds: the service's time was somewhere in [date, date + 1 s).
  if (Number.isFinite(date) && received - sent < 2000) S.clockOffset = date + 500 - (sent + received) / 2;
  return data;
}

async function fetchAllCalls() {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 10; page++) {
    const q = `/api/v1/calls?limit=500${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`;
    const doc = page === 0 ? await getWithClock(q) : await request('GET', q, { token: S.token });
    items.push(...doc.items);
    cursor = doc.next_cursor;
    if (!cursor) break;
  }
  return items;
}

async function refresh() {
  if (!S.token || S.polling) return;
  S.polling = true;
  try {
    const [calls, callbacks] = await Promise.all([
      fetchAllCalls(),
      request('GET', '/api/v1/calls/callbacks?limit=100', { token: S.token }),
    ]);
    S.calls = calls;
    S.callbacks = callbacks.items;
    S.offline = false;
    S.updatedAt = new Date();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { S.polling = false; return signOut(); }
    S.offline = true;
  } finally {
    S.polling = false;
  }
  if (S.view === 'console') {
    keepFocus(renderCalls);
    keepFocus(renderCallbacks);
    noticeRinging();
    refreshOpenCall();
  }
}

/** The open call's summary follows the poll (a ringing call gets answered, a call-back gets cleared). */
function refreshOpenCall() {
  if (S.panel !== 'log' || !S.callId) return;
  const c = byId(S.callId);
  const old = document.querySelector('#panel .agent-summary');
  if (c && old) old.replaceWith(callSummary(c));
}

function startPolling() {
  stopPolling();
  S.pollTimer = setInterval(refresh, POLL_MS);
  S.tickTimer = setInterval(tick, TICK_MS);
}

function stopPolling() {
  if (S.pollTimer) clearInterval(S.pollTimer);
  if (S.tickTimer) clearInterval(S.tickTimer);
  S.pollTimer = null;
  S.tickTimer = null;
}

// -- session ----------------------------------------------------------------------------
function render() {
  renderBar();
  renderLanguages();
  applyAgentTexts(document);
  if (S.view === 'console') viewConsole();
  else viewSignin();
}

function signOut() {
  stopPolling();
  forgetToken();
  Object.assign(S, { token: null, session: null, view: 'signin', errors: [], calls: [], callbacks: [], panel: null, callId: null, values: {},
    history: null, ringing: new Set(), lookup: { value: '', result: null, error: null, history: null } });
  render();
}

async function signIn(stored) {
  const token = stored || (document.getElementById('a-token').value || '').trim();
  S.errors = [];
  const result = await openSession(token, [...ROLES]);
  if (!result.session) {
    const key = { empty: 'error.token_empty', role: 'error.not_agent', token: 'error.token', offline: 'status.offline' }[result.error];
    S.errors = [{ field: 'token', message: at(key) }];
    return render();
  }
  Object.assign(S, { token, session: result.session, view: 'console' });
  render();
  await refresh();
  startPolling();
  focusFirst(document, '#h-calls');
}

async function changeLanguage(code) {
  collect();
  S.lookup.value = (document.getElementById('lookup-reference') || {}).value || S.lookup.value;
  await setLanguage(code);
  await loadAgentTexts(getLanguage());
  sessionStorage.setItem(LANG_KEY, getLanguage());
  render();
  const b = langNav.querySelector(`button[data-lang="${getLanguage()}"]`);
  if (b) b.focus();
}

async function main() {
  const lang = sessionStorage.getItem(LANG_KEY) || 'nl';
  await setLanguage(lang);
  await loadAgentTexts(getLanguage());
  applyAgentTexts(document);
  try {
    S.config = await loadConfig(3);
  } catch {
    root.replaceChildren(h('h1', { class: 'page-heading' }, at('load_failed.title')), h('p', {}, at('load_failed.text')));
    return;
  }
  const stored = storedToken();
  if (stored) await signIn(stored);
  else render();
}

main();
