// The satisfaction question (/feedback/{token}, docs/interface.md §12): "Bent u tevreden over ons
// antwoord?", reasons, free text; when not satisfied, the ombudsman's contact details and the
// choice to file a second-line complaint, a separate action. Answered once; no token header.
import { request, ApiError } from './api.js';
import { t } from './i18n.js';
import { h, radios, textField, errorSummary, checkedValue } from './dom.js';
import { startPage, formatDay, showScreen, ombudsmanCard, unavailable, tooMany } from './reporter.js';

const token = decodeURIComponent(location.pathname.split('/')[2] || '');
const api = `/api/v1/feedback/${encodeURIComponent(token)}`;
const TEXT_MAX = 2000;

// screen: question | second-line | thanks | given | expired | missing | down | limit
const S = { screen: null, question: null, satisfied: null, reasons: [], text: '', error: null, alert: null,
  busy: false, result: null, limit: 0, filed: false };
let config = null;

function render(_config, keepFocus) {
  const focus = !keepFocus;
  switch (S.screen) {
    case 'question': return viewQuestion(focus);
    case 'second-line': return viewSecondLine(focus);
    case 'thanks': return viewThanks(focus);
    case 'given': return viewGiven(focus);
    case 'expired': return viewExpired(focus);
    case 'missing': return viewMissing(focus);
    case 'limit': return tooMany(S.limit);
    case 'down': return unavailable(config);
    default: return null;
  }
}

function go(screen) {
  S.screen = screen;
  render(config, false);
}

/** Keeps what the form holds, so a language switch or a step back loses nothing. */
function collect() {
  const form = document.getElementById('feedback-form');
  if (!form) return;
  const v = checkedValue(form, 'satisfied');
  S.satisfied = v === 'yes' ? true : v === 'no' ? false : null;
  S.reasons = [...form.querySelectorAll('input[name=reason]:checked')].map((el) => el.value);
  S.text = document.getElementById('f-text').value;
}

const alertBox = () => (S.alert ? h('div', { class: 'problem', id: 'feedback-alert', role: 'alert' }, h('p', {}, S.alert)) : null);

function answerBlock() {
  const q = S.question;
  return [
    h('p', {}, t('feedback.about', { reference: q.reference })),
    q.answer ? h('div', { class: 'inset answer', id: 'feedback-answer' }, q.answer) : null,
  ];
}

function viewQuestion(focus) {
  const choices = S.question.reason_choices || [];
  const reasons = h('div', { class: 'field', id: 'reasons', hidden: S.satisfied !== false },
    h('fieldset', { class: 'fieldset', 'aria-describedby': 'reasons-hint' },
      h('legend', { class: 'legend' }, t('feedback.reasons.legend')),
      h('p', { class: 'hint', id: 'reasons-hint' }, t('feedback.reasons.hint')),
      h('div', { class: 'checks-list' }, choices.map((r) => h('div', { class: 'check-item' },
        h('input', { type: 'checkbox', id: 'reason-' + r, name: 'reason', value: r, checked: S.reasons.includes(r) }),
        h('label', { for: 'reason-' + r }, t('feedback.reason.' + r)))))));
  const submit = h('button', { type: 'submit', class: 'button button--primary', id: 'feedback-next', disabled: S.busy },
    t(S.satisfied === false ? 'feedback.next' : 'feedback.send'));
  const form = h('form', { class: 'question', id: 'feedback-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); next(); } },
    radios({ id: 'f-satisfied', name: 'satisfied', legend: t('feedback.satisfied.legend'), error: S.error,
      value: S.satisfied === null ? null : S.satisfied ? 'yes' : 'no',
      options: [{ value: 'yes', label: t('feedback.satisfied.yes') }, { value: 'no', label: t('feedback.satisfied.no') }] }),
    reasons,
    textField({ id: 'f-text', label: t('feedback.text.label'), hint: t('feedback.text.hint'), multiline: true, value: S.text,
      maxlength: TEXT_MAX, rows: 5 }),
    h('div', { class: 'actions' }, submit));
  // The reasons show as soon as "no" is chosen; the button says what comes next.
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'satisfied') return;
    const no = e.target.value === 'no';
    reasons.hidden = !no;
    submit.textContent = t(no ? 'feedback.next' : 'feedback.send');
  });
  showScreen('question', [
    h('h1', { class: 'page-heading' }, t('feedback.title')),
    ...answerBlock(),
    S.error ? errorSummary([{ target: 'f-satisfied', message: S.error }]) : null,
    alertBox(),
    form,
  ], { focus });
  if (S.error && focus) document.getElementById('error-summary').focus();
}

function next() {
  collect();
  S.alert = null;
  S.error = S.satisfied === null ? t('feedback.satisfied.missing') : null;
  if (S.error) return go('question');
  if (S.satisfied) return send(false);
  go('second-line');
}

function viewSecondLine(focus) {
  showScreen('second-line', [
    h('a', { href: '#', class: 'back-link', id: 'feedback-back', onclick: (e) => { e.preventDefault(); S.alert = null; go('question'); } }, t('nav.back')),
    h('h1', { class: 'page-heading' }, t('feedback.second.title')),
    h('p', {}, t('feedback.second.sorry')),
    h('p', {}, t('feedback.second.explain')),
    ombudsmanCard(config && config.ombudsman),
    alertBox(),
    h('div', { class: 'choice' },
      h('h2', {}, t('feedback.second.question')),
      h('p', { class: 'hint' }, t('feedback.second.hint', { reference: S.question.reference })),
      h('div', { class: 'actions actions--row' },
        h('button', { type: 'button', class: 'button button--primary', id: 'file-complaint', disabled: S.busy, onclick: () => send(true) },
          t('feedback.second.file')),
        h('button', { type: 'button', class: 'button button--secondary', id: 'send-only', disabled: S.busy, onclick: () => send(false) },
          t('feedback.second.only')))),
  ], { focus });
}

async function send(ombudsman) {
  if (S.busy) return;
  S.busy = true;
  S.alert = null;
  const body = { satisfied: S.satisfied, reasons: S.satisfied ? [] : S.reasons, text: S.text.trim(), ombudsman: Boolean(ombudsman) };
  const from = S.screen;
  S.filed = Boolean(ombudsman);
  try {
    S.result = await request('POST', api, { body });
  } catch (e) {
    S.busy = false;
    if (e instanceof ApiError && e.status === 409) return go('given');
    if (e instanceof ApiError && e.status === 410) return go('expired');
    if (e instanceof ApiError && e.status === 404) return go('missing');
    if (e instanceof ApiError && e.status === 429) S.alert = t('reporter.limit.text', { seconds: e.retryAfter || 60 });
    else if (e instanceof ApiError && e.status < 500) S.alert = t('feedback.error.refused');
    else S.alert = t('feedback.error.unreachable');
    go(from);
    const box = document.getElementById('feedback-alert');
    if (box) { box.setAttribute('tabindex', '-1'); box.focus(); }
    return;
  }
  S.busy = false;
  go('thanks');
}

function viewThanks(focus) {
  const r = S.result || {};
  // Filed here, now: a referral a coordinator recorded before is not the reporter's complaint.
  const complaint = S.filed && !r.satisfied;
  let nodes;
  if (r.satisfied) {
    nodes = [h('p', { class: 'lead' }, t('feedback.thanks.glad')), h('h2', {}, t('feedback.next.title')), h('p', {}, t('feedback.thanks.next_yes'))];
  } else if (complaint) {
    nodes = [
      h('p', { class: 'lead', id: 'complaint-filed' }, t('feedback.thanks.filed', { reference: r.reference })),
      h('h2', {}, t('feedback.next.title')),
      h('p', {}, t('feedback.thanks.next_filed', { reference: r.reference })),
      ombudsmanCard(r.ombudsman),
    ];
  } else {
    nodes = [
      h('p', { class: 'lead' }, t('feedback.thanks.sorry')),
      h('h2', {}, t('feedback.next.title')),
      h('p', {}, t('feedback.thanks.next_no')),
      ombudsmanCard(r.ombudsman),
    ];
  }
  showScreen('thanks', [h('h1', { class: 'page-heading' }, t('feedback.thanks.title')), ...nodes], { focus });
}

function viewGiven(focus) {
  const phone = (config && config.contact && config.contact.phone) || '';
  showScreen('given', [
    h('h1', { class: 'page-heading' }, t('feedback.given.title')),
    h('p', {}, t('feedback.given.text')),
    phone ? h('p', {}, t('feedback.given.more', { phone })) : null,
  ], { focus });
}

function viewExpired(focus) {
  showScreen('expired', [
    h('h1', { class: 'page-heading' }, t('feedback.expired.title')),
    h('p', {}, t('feedback.expired.text', { date: formatDay(S.question ? S.question.expires_at : new Date().toISOString(), config) })),
    h('p', {}, t('feedback.expired.ombudsman')),
    ombudsmanCard(config && config.ombudsman),
  ], { focus });
}

function viewMissing(focus) {
  const phone = (config && config.contact && config.contact.phone) || '';
  showScreen('missing', [
    h('h1', { class: 'page-heading' }, t('feedback.missing.title')),
    h('p', {}, t('feedback.missing.text')),
    phone ? h('p', {}, t('feedback.missing.help', { phone })) : null,
  ], { focus });
}

async function main() {
  config = await startPage((c, keepFocus) => {
    if (S.screen === 'question') collect();
    render(c, keepFocus);
  });
  try {
    S.question = await request('GET', api);
    S.screen = S.question.given ? 'given' : S.question.expired ? 'expired' : 'question';
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) S.screen = 'missing';
    else if (e instanceof ApiError && e.status === 429) { S.screen = 'limit'; S.limit = e.retryAfter; }
    else S.screen = 'down';
  }
  render(config, true);
}

main();
