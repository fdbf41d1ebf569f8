// Kiosk enrolment (/kiosk/enroll?token=…): stores the kiosk token once, then takes it out of the URL.
import { getSession, loadConfig, ApiError } from './api.js';
import { setLanguage, t, localName } from './i18n.js';
import { h } from './dom.js';

const TOKEN_KEY = 'opunt.kiosk.token';

function show(titleKey, ...body) {
  const root = document.getElementById('main');
  root.replaceChildren(h('h1', { class: 'page-heading', id: 'enroll-title', tabindex: '-1' }, t(titleKey)), ...body);
  document.title = t(titleKey) + ' — ' + t('app.name');
  root.querySelector('h1').focus();
}

const openKiosk = () => h('p', {}, h('a', { href: '/kiosk', class: 'button button--primary', id: 'open-kiosk' }, t('enroll.open')));

async function main() {
  await setLanguage('nl');
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  // Take the token out of the address bar and the history before anything else.
  if (params.has('token')) history.replaceState(null, '', location.pathname);
  if (!token) {
    if (localStorage.getItem(TOKEN_KEY)) return show('enroll.already.title', h('p', {}, t('enroll.already.text')), openKiosk());
    return show('enroll.missing.title', h('p', {}, t('enroll.missing.text')));
  }
  let session;
  try {
    session = await getSession(token.trim());
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      return show('enroll.refused.title', h('p', {}, t('enroll.refused.text')));
    }
    localStorage.setItem(TOKEN_KEY, token.trim());
    return show('enroll.unchecked.title', h('p', {}, t('enroll.unchecked.text')), openKiosk());
  }
  if (session.role !== 'kiosk') return show('enroll.role.title', h('p', {}, t('enroll.role.text', { role: session.role })));
  localStorage.setItem(TOKEN_KEY, token.trim());
  let site = session.site || '';
  try {
    const config = await loadConfig(1);
    const s = config.sites.find((x) => x.key === session.site);
    if (s) site = localName(s.name);
  } catch { /* the key will do */ }
  show('enroll.done.title', h('p', { id: 'enroll-site' }, t('enroll.done.text', { site, name: session.name })),
    h('p', {}, t('enroll.done.next')), openKiosk());
}

main();
