// Texts: one JSON file per language under /assets/i18n/, Dutch as the fallback.
const cache = new Map();
let lang = 'nl';
let dict = {};
let base = {};

// The config's languages and the city's name in each, as the service wrote them into the page
// (Static/pages/layout.html.mustache): the texts say {city}, never a city's name.
const root = document.documentElement;
export const LANGUAGES = (root.dataset.languages || 'nl').split(' ').filter(Boolean);
const CITY = JSON.parse(root.dataset.cityNames || '{}');
const NATIVE = { nl: 'Nederlands', fr: 'Français', de: 'Deutsch', en: 'English' };
// French elides "de" before a vowel: "Ville de Bruges", "Ville d’Anvers" (the texts write "de {city}").
const ELIDES = /^[aeiouyâàéèêîïôûAEIOUYÂÀÉÈÊÎÏÔÛ]/;

// Texts only some pages need live in folders of their own (/assets/i18n/reporter/{lang}.json),
// so the kiosk and the website form do not download them; a page names them with useTexts().
const extra = [];

/** Adds a folder of texts under /assets/i18n/ to every language this page loads. */
export function useTexts(folder) {
  if (!extra.includes(folder)) extra.push(folder);
}

/** A text file (JSON) by path, fetched once per page; a failed fetch is tried again next time. */
export async function textFile(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch(path, { credentials: 'omit' }).then((r) => {
      if (!r.ok) throw new Error('texts ' + path + ': ' + r.status);
      return r.json();
    }));
  }
  try {
    return await cache.get(path);
  } catch (e) {
    cache.delete(path);
    throw e;
  }
}

async function load(code) {
  const parts = await Promise.all([`/assets/i18n/${code}.json`, ...extra.map((f) => `/assets/i18n/${f}/${code}.json`)].map(textFile));
  return Object.assign({}, ...parts);
}

export function getLanguage() { return lang; }

/** Loads a language and marks the page with it; translations get a visible note. */
export async function setLanguage(code) {
  if (!LANGUAGES.includes(code)) code = 'nl';
  base = await load('nl');
  dict = code === 'nl' ? base : await load(code);
  lang = code;
  document.documentElement.lang = code;
  applyTexts(document);
  const note = document.getElementById('translation-note');
  if (note) {
    note.textContent = code === 'nl' ? '' : t('lang.note');
    note.hidden = code === 'nl';
  }
  return code;
}

/** The city's name in a language (the current one by default); Dutch where the config has none. */
export function cityName(code = lang) {
  return CITY[code] ?? CITY.nl ?? '';
}

/** The text for key in the current language (falling back to Dutch), with {name} and {city} filled in. */
export function t(key, params) {
  let s = dict[key] ?? base[key] ?? key;
  const city = cityName();
  if (lang === 'fr' && ELIDES.test(city)) s = s.replace(/\b([dD])e \{city\}/g, '$1’{city}');
  return s.replace(/\{(\w+)\}/g, (m, k) => (params && params[k] != null ? params[k] : k === 'city' ? city : m));
}

/** Fills elements marked data-i18n (text) and data-i18n-label (aria-label). */
export function applyTexts(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

/** A config name: a plain string or a map of language to text; falls back to Dutch. */
export function localName(n) {
  if (n == null) return '';
  if (typeof n === 'string') return n;
  return n[lang] ?? n.nl ?? Object.values(n)[0] ?? '';
}

/** Language switch buttons (each language named in itself) in a labelled nav. */
export function renderLanguageSwitch(container, languages, onChange) {
  const list = (languages && languages.length ? [...languages] : LANGUAGES).filter((l) => NATIVE[l]);
  list.sort((a, b) => (a === 'nl' ? -1 : b === 'nl' ? 1 : 0));
  container.replaceChildren();
  const ul = document.createElement('ul');
  ul.className = 'language-switch__list';
  for (const code of list) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'language-switch__button';
    b.lang = code;
    b.dataset.lang = code;
    b.textContent = NATIVE[code];
    b.setAttribute('aria-pressed', String(code === lang));
    b.addEventListener('click', () => onChange(code));
    const li = document.createElement('li');
    li.append(b);
    ul.append(li);
  }
  container.append(ul);
}

/** Marks the current language in the switch. */
export function markLanguage(container) {
  for (const b of container.querySelectorAll('button[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
}
