// The reporter's status page (/status/{reference}?key=KEY, docs/interface.md §12): where the signal is,
// when it is due, and the answer. No token; the key from the receipt or the e-mail.
import { request, ApiError } from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';
import { startPage, formatDay, formatMoment, showScreen, unavailable, tooMany } from './reporter.js';

const STEPS = ['received', 'in_progress', 'answered', 'closed'];

const reference = decodeURIComponent(location.pathname.split('/')[2] || '');
const key = new URLSearchParams(location.search).get('key') || '';
// What the service said: {status} on success, {missing}, {limit: seconds} or {down}.
let state = null;

function render(config, keepFocus) {
  const focus = !keepFocus;
  if (!state) return;
  if (state.down) return unavailable(config);
  if (state.limit) return tooMany(state.limit);
  if (state.missing) return notFound(focus);
  return found(state.status, config, focus);
}

function found(s, config, focus) {
  const at = STEPS.indexOf(s.status);
  const late = !s.answered_at && s.status !== 'closed' && new Date(s.due_at) < new Date();
  const fact = (label, value, id) => h('div', { class: 'facts__row' },
    h('dt', { class: 'facts__key' }, label), h('dd', { class: 'facts__value', id }, value));
  showScreen('status', [
    h('h1', { class: 'page-heading' }, t('status.title.' + s.kind)),
    h('p', { class: 'lead', id: 'status-words' }, h('span', { class: 'status-badge', id: 'status-name' }, t('status.state.' + s.status)), ' ',
      t('status.explain.' + s.status)),
    h('ol', { class: 'steps', 'aria-label': t('status.steps') }, STEPS.map((step, i) => h('li', {
      class: 'steps__item' + (i < at ? ' steps__item--done' : '') + (i === at ? ' steps__item--current' : ''),
      'aria-current': i === at ? 'step' : null,
    }, h('span', { class: 'steps__mark', 'aria-hidden': 'true' }, i < at ? '✓' : i === at ? '●' : '○'), t('status.state.' + step)))),
    late ? h('p', { class: 'late', id: 'status-late' }, t('status.late', { phone: (config && config.contact && config.contact.phone) || '' })) : null,
    h('dl', { class: 'facts' },
      fact(t('status.fact.reference'), s.reference, 'status-reference'),
      fact(t('status.fact.received'), formatMoment(s.received_at, config), 'status-received'),
      s.answered_at
        ? fact(t('status.fact.answered'), formatDay(s.answered_at, config), 'status-answered')
        : fact(t('status.fact.due'), formatDay(s.due_at, config), 'status-due')),
    s.answer ? [
      h('h2', {}, t('status.answer.title')),
      h('div', { class: 'inset answer', id: 'status-answer' }, s.answer),
    ] : s.status === 'closed' ? null : h('p', { class: 'hint', id: 'status-later' }, t('status.answer.later', { date: formatDay(s.due_at, config) })),
  ], { focus });
}

function notFound(focus) {
  // One screen for an unknown reference, a wrong key and a malformed one: the service does not say which.
  showScreen('not-found', [
    h('h1', { class: 'page-heading' }, t('status.missing.title')),
    h('p', {}, t('status.missing.text')),
    h('p', {}, t('status.missing.help')),
  ], { focus });
}

async function main() {
  const config = await startPage(render);
  try {
    const status = await request('GET', `/api/v1/status/${encodeURIComponent(reference)}?key=${encodeURIComponent(key)}`);
    state = { status };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) state = { missing: true };
    else if (e instanceof ApiError && e.status === 429) state = { limit: e.retryAfter };
    else state = { down: true };
  }
  // On arrival the page reads from the top; focus moves only when a screen replaces another.
  render(config, true);
}

main();
