// Kiosk enrolment (/kiosk/enroll): a one-time code typed on the device is exchanged for the
// device's own kiosk token (docs/interface.md §10). The token never travels in a URL and never shows.
import { request, loadConfig, ApiError } from './api.js';
import { setLanguage, useTexts, t, localName } from './i18n.js';
import { h, textField } from './dom.js';

const TOKEN_KEY = 'opunt.kiosk.token';

// Before anything else (the texts may fail to load): a query such as the old ?token= link
// leaves the address bar and this history entry, and is never read.
if (location.search || location.hash) history.replaceState(null, '', location.pathname);

const root = document.getElementById('main');
const S = { code: '', error: null, alert: null, busy: false };

function paint(titleKey, ...body) {
  root.replaceChildren(h('h1', { class: 'page-heading', id: 'enroll-title', tabindex: '-1' }, t(titleKey)), ...body.filter(Boolean));
  document.title = t(titleKey) + ' — ' + t('app.name');
}

const openKiosk = () => h('p', {}, h('a', { href: '/kiosk', class: 'button button--primary', id: 'open-kiosk' }, t('enroll.open')));

function viewForm(focus) {
  const enrolled = Boolean(localStorage.getItem(TOKEN_KEY));
  paint(enrolled ? 'enroll.already.title' : 'enroll.title',
    h('p', {}, t(enrolled ? 'enroll.already.text' : 'enroll.intro')),
    S.alert ? h('div', { class: 'problem', id: 'enroll-alert', role: 'alert' }, h('p', {}, S.alert)) : null,
    h('form', { novalidate: true, class: 'question', id: 'enroll-form', onsubmit: (e) => { e.preventDefault(); exchange(); } },
      textField({ id: 'e-code', label: t('enroll.code.label'), hint: t('enroll.code.hint'), error: S.error, width: 'code', value: S.code,
        autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 20 }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button button--primary', id: 'enroll-submit', disabled: S.busy }, t(S.busy ? 'enroll.busy' : 'enroll.submit')))),
    enrolled ? openKiosk() : null);
  const target = focus === 'field' ? document.getElementById('e-code') : focus === 'alert' ? document.getElementById('enroll-alert') : null;
  if (target) { target.setAttribute('tabindex', target.getAttribute('tabindex') || '-1'); target.focus(); }
}

async function viewDone(site) {
  let name = site;
  try {
    const config = await loadConfig(1);
    const s = config.sites.find((x) => x.key === site);
    if (s) name = localName(s.name);
  } catch { /* the key will do */ }
  paint('enroll.done.title', h('p', { id: 'enroll-site' }, t('enroll.done.text', { site: name })),
    h('p', {}, t('enroll.done.next')), openKiosk());
  root.querySelector('h1').focus();
}

async function exchange() {
  if (S.busy) return;
  const field = document.getElementById('e-code');
  const code = (field.value || '').trim();
  S.code = code;
  S.error = null;
  S.alert = null;
  if (!code) { S.error = t('enroll.error.empty'); return viewForm('field'); }
  S.busy = true;
  viewForm();
  let granted;
  try {
    granted = await request('POST', '/api/v1/kiosk/enrolment', { body: { code } });
  } catch (e) {
    // Nothing is stored on any failure: the token only comes from a successful exchange.
    S.busy = false;
    if (e instanceof ApiError && (e.status === 404 || e.status === 422)) S.error = t('enroll.error.unknown');
    else if (e instanceof ApiError && e.status === 429) S.alert = t('enroll.error.limit', { seconds: e.retryAfter || 60 });
    else if (e instanceof ApiError && e.status < 500) S.alert = t('enroll.error.refused', { status: e.status });
    else S.alert = t('enroll.error.unreachable');
    return viewForm(S.error ? 'field' : 'alert');
  }
  S.busy = false;
  if (!granted || typeof granted.token !== 'string' || !granted.token || typeof granted.site !== 'string') {
    S.alert = t('enroll.error.unreachable');
    return viewForm('alert');
  }
  S.code = '';
  localStorage.setItem(TOKEN_KEY, granted.token);
  await viewDone(granted.site);
}

async function main() {
  useTexts('desk'); // staff texts, Dutch only
  try {
    await setLanguage('nl');
  } catch {
    // Without the texts there is no form; say so in Dutch and store nothing.
    root.replaceChildren(h('h1', { class: 'page-heading' }, 'De teksten konden niet geladen worden'),
      h('p', {}, 'Controleer de verbinding met de dienst en herlaad de pagina. Er is niets bewaard.'));
    return;
  }
  viewForm();
}

main();
