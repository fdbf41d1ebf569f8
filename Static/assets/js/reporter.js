// What the reporter's pages (status and feedback) share: the texts, the language switch,
// the city's dates, the footer and the ombudsman's contact card.
import { loadConfig } from './api.js';
import { setLanguage, renderLanguageSwitch, markLanguage, getLanguage, LANGUAGES, t, localName, useTexts } from './i18n.js';
import { h } from './dom.js';

const LANG_KEY = 'opunt.reporter.lang';

/**
 * Loads the texts and the public config, draws the language switch and the footer, and calls
 * render() now and after every language change. Resolves with the config, or null when the
 * service cannot be reached (render is then called with no config).
 */
export async function startPage(render) {
  const root = document.getElementById('main');
  document.querySelector('.skip-link').addEventListener('click', (e) => { e.preventDefault(); root.focus(); });
  const asked = new URLSearchParams(location.search).get('lang');
  let saved = null;
  try { saved = sessionStorage.getItem(LANG_KEY); } catch { /* storage off */ }
  useTexts('reporter');
  await setLanguage('nl');
  let config = null;
  try { config = await loadConfig(3); } catch { config = null; }
  const languages = (config && config.languages) || LANGUAGES;
  const first = [asked, saved].find((l) => l && languages.includes(l)) || 'nl';
  await setLanguage(first);
  const sw = document.getElementById('language-switch');
  renderLanguageSwitch(sw, languages, async (code) => {
    await setLanguage(code);
    try { sessionStorage.setItem(LANG_KEY, code); } catch { /* storage off */ }
    markLanguage(sw);
    footer(config);
    render(config, true);
  });
  footer(config);
  return config;
}

function footer(config) {
  const el = document.getElementById('footer-contact');
  if (!el || !config || !config.contact) return;
  const c = config.contact;
  // replaceChildren takes nodes and strings only: no arrays, no nulls.
  el.replaceChildren(...[t('footer.help') + ' ', c.phone ? h('a', { href: 'tel:' + c.phone.replace(/\s/g, '') }, c.phone) : null,
    ...(c.email ? [' · ', h('a', { href: 'mailto:' + c.email }, c.email)] : [])].filter(Boolean));
}

/** A day in the city's time zone and the page's language, e.g. "12 juni 2025". */
export function formatDay(iso, config) {
  return format(iso, config, { dateStyle: 'long' });
}

/** A day and time in the city's time zone, e.g. "12 juni 2025 om 09:30". */
export function formatMoment(iso, config) {
  return format(iso, config, { dateStyle: 'long', timeStyle: 'short' });
}

function format(iso, config, options) {
  const d = new Date(iso);
  const timeZone = (config && config.time_zone) || 'Europe/Brussels';
  try {
    return new Intl.DateTimeFormat(getLanguage() + '-BE', { ...options, timeZone }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
}

/** Puts a screen in #main: <div class="screen" data-screen=name>, its h1 focused when asked. */
export function showScreen(name, nodes, { focus = true, title } = {}) {
  const root = document.getElementById('main');
  const screen = h('div', { class: 'screen', 'data-screen': name }, ...nodes);
  root.replaceChildren(screen);
  const h1 = screen.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    document.title = (title || h1.textContent) + ' — ' + t('app.name');
    if (focus) h1.focus();
  }
  return screen;
}

/** The ombudsman's contact card: name, phone, e-mail, website, address (what the config gives). */
export function ombudsmanCard(contact, { id = 'ombudsman', title = t('reporter.ombudsman.title') } = {}) {
  if (!contact) return null;
  const row = (label, value) => (value ? h('li', {}, h('span', { class: 'contact__label' }, label + ': '), value) : null);
  return h('section', { class: 'ombudsman', id, 'aria-labelledby': id + '-title' },
    h('h2', { class: 'ombudsman__title', id: id + '-title' }, title),
    h('p', { class: 'contact__name' }, localName(contact.name)),
    h('ul', { class: 'contact__list' },
      row(t('reporter.contact.phone'), contact.phone ? h('a', { href: 'tel:' + contact.phone.replace(/\s/g, '') }, contact.phone) : null),
      row(t('reporter.contact.email'), contact.email ? h('a', { href: 'mailto:' + contact.email }, contact.email) : null),
      row(t('reporter.contact.website'), contact.url ? h('a', { href: contact.url, rel: 'noreferrer' }, contact.url) : null),
      row(t('reporter.contact.address'), contact.address || null)));
}

/** The "could not load" screen: the service is away or answered something unexpected. */
export function unavailable(config) {
  const phone = config && config.contact ? config.contact.phone : '';
  showScreen('unavailable', [
    h('h1', { class: 'page-heading' }, t('reporter.unavailable.title')),
    h('p', {}, phone ? t('reporter.unavailable.text', { phone }) : t('reporter.unavailable.text_nophone')),
  ]);
}

/** The "too many attempts" screen, with the wait the service asked for. */
export function tooMany(seconds) {
  showScreen('too-many', [
    h('h1', { class: 'page-heading' }, t('reporter.limit.title')),
    h('p', {}, t('reporter.limit.text', { seconds: seconds || 60 })),
  ]);
}
