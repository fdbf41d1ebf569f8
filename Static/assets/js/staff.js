// What the back-office and report pages share: their texts (the "backoffice" and
// "reports" sections of /assets/i18n/staff/*.json, Dutch as the fallback; kept out
// of /assets/i18n/*.json, which the public kiosk and form load whole in every
// language), the header with the language switch, and signing in with a
// coordinator's or admin's token.
import { request, loadConfig, ApiError } from './api.js';
import { openSession, forgetToken, storedToken } from './session.js';
import { setLanguage, getLanguage, renderLanguageSwitch, markLanguage, textFile } from './i18n.js';
import { h } from './dom.js';

export { storedToken, forgetToken } from './session.js';
const ROLES = ['coordinator', 'admin'];
let sections = [];
let fallback = [];

const file = (code) => textFile(`/assets/i18n/staff/${code}.json`);

/** Loads a language for the page: the shared texts and the page's own sections. */
export async function useLanguage(code, names) {
  await setLanguage(code);
  const [nl, cur] = await Promise.all([file('nl'), file(getLanguage())]);
  sections = names.map((n) => cur[n] || {});
  fallback = names.map((n) => nl[n] || {});
}

/** The text for key from the page's sections, with {name} filled in. */
export function tx(key, params) {
  let s;
  for (const d of sections) if (s === undefined && d[key] !== undefined) s = d[key];
  for (const d of fallback) if (s === undefined && d[key] !== undefined) s = d[key];
  if (s === undefined) s = key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
  return s;
}

/** Fills elements marked data-tx with the page's texts. */
export function applyPageTexts(root) {
  for (const el of root.querySelectorAll('[data-tx]')) el.textContent = tx(el.dataset.tx);
}

export const lang = () => getLanguage();
export const number = (n, digits = 0) => new Intl.NumberFormat(getLanguage() + '-BE', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
export const percent = (f, digits = 1) => new Intl.NumberFormat(getLanguage() + '-BE', { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(f);

/** An authenticated API call; a 401 signs the page out. */
export function api(session, method, path, body) {
  return request(method, path, { token: session.token, body }).catch((e) => {
    if (e instanceof ApiError && e.status === 401 && session.onSignOut) session.onSignOut();
    throw e;
  });
}

/** The language switch in the header; re-renders the page on change. */
export function languageSwitch(container, languages, render, names) {
  renderLanguageSwitch(container, languages, async (code) => {
    await useLanguage(code, names);
    markLanguage(container);
    container.setAttribute('aria-label', tx('lang'));
    render();
  });
  container.setAttribute('aria-label', tx('lang'));
}

/** The sign-in form; resolves once a coordinator or admin token is accepted. */
export function signInView(root, { title, onSignedIn, error, roles = ROLES }) {
  const errId = 'st-token-error';
  const input = h('input', {
    id: 'st-token', name: 'token', type: 'password', class: 'input input--wide' + (error ? ' input--error' : ''), autocomplete: 'off',
    spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': 'st-token-hint' + (error ? ' ' + errId : ''),
    'aria-invalid': error ? 'true' : null,
  });
  const summary = error ? h('div', { class: 'error-summary', tabindex: '-1', 'aria-labelledby': 'st-error-title' },
    h('h2', { id: 'st-error-title', class: 'error-summary__title' }, tx('error.title')),
    h('ul', { class: 'error-summary__list' }, h('li', {}, h('a', { href: '#st-token' }, error)))) : null;
  const form = h('form', { novalidate: true, class: 'question', id: 'signin-form' },
    h('div', { class: 'field' + (error ? ' field--error' : '') },
      h('label', { for: 'st-token', class: 'label' }, tx('signin.token')),
      h('p', { class: 'hint', id: 'st-token-hint' }, tx('signin.hint')),
      error ? h('p', { class: 'error-message', id: errId }, h('span', { class: 'visually-hidden' }, tx('error.prefix') + ' '), error) : null,
      input),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary', 'data-action': 'sign-in' }, tx('signin.button'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return signInView(root, { title, onSignedIn, error: tx('error.token_empty'), roles });
    const result = await checkToken(token, roles);
    if (result.session) onSignedIn(result.session);
    else signInView(root, { title, onSignedIn, error: result.error, roles });
  });
  root.replaceChildren(summary || '', h('h1', { class: 'page-heading' }, title), form);
  document.title = `${error ? tx('error.prefix') + ' ' : ''}${title}`;
  if (summary) summary.focus();
}

/** Checks a token with GET /api/v1/session; keeps it for this tab when it is one of `roles`
 * (a back-office token unless the page says otherwise, e.g. a department's inbox). */
export async function checkToken(token, roles = ROLES) {
  const result = await openSession(token, roles);
  if (result.session) return result;
  return { error: tx({ empty: 'error.token_empty', role: 'error.role', token: 'error.token', offline: 'error.offline' }[result.error]) };
}

/** The role in the page's words (`role.coordinator`), or as the service names it. */
function roleName(role) {
  const text = tx('role.' + role);
  return text === 'role.' + role ? role : text;
}

/** The bar with who is signed in and a sign-out button. */
export function sessionBar(bar, session, onSignOut) {
  if (!session) { bar.hidden = true; bar.replaceChildren(); return; }
  bar.hidden = false;
  bar.replaceChildren(h('p', { class: 'desk-bar__who' }, tx('signed_in', { name: session.name, role: roleName(session.role) })),
    h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'sign-out', onclick: () => {
      forgetToken();
      onSignOut();
    } }, tx('sign_out')));
}

/**
 * What every staff page draws first: the session bar and the page's fixed texts, and without a
 * session the sign-in form (`roles` may open the page). Answers whether someone is signed in.
 */
export function pageFrame({ bar, root, session, signOut, onSignedIn, roles = ROLES }) {
  sessionBar(bar, session, signOut);
  applyPageTexts(document);
  if (session) return true;
  signInView(root, { title: tx('signin.title'), onSignedIn, roles });
  return false;
}

/**
 * A staff page's start: its texts, the public config (without it, a page that says the service is
 * out of reach), `setup(config)`, then the token kept in this tab if it still opens this page
 * (`onSignedIn(session)`), else `render()` shows the sign-in form.
 */
export async function startPage(root, texts, { roles = ROLES, setup, onSignedIn, render }) {
  await useLanguage('nl', texts);
  let config;
  try {
    config = await loadConfig(3);
  } catch {
    root.replaceChildren(h('h1', { class: 'page-heading' }, tx('title')), h('p', {}, tx('error.offline')));
    return;
  }
  if (setup) setup(config);
  const stored = storedToken();
  if (stored) {
    const result = await checkToken(stored, roles);
    if (result.session) return onSignedIn(result.session);
  }
  render();
}
