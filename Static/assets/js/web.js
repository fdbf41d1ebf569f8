// The website form (/): the citizen flow, channel web, no token.
import { loadConfig } from './api.js';
import { setLanguage, renderLanguageSwitch, markLanguage, t, useTexts } from './i18n.js';
import { CitizenForm } from './flow.js';
import * as web from './webplace.js';
import { h } from './dom.js';

async function main() {
  const root = document.getElementById('main');
  // The skip link must not change the hash: the hash is the form's screen.
  document.querySelector('.skip-link').addEventListener('click', (e) => { e.preventDefault(); root.focus(); });
  const params = new URLSearchParams(location.search);
  useTexts('web'); // the map's and the photos' texts: the kiosk does not download them
  await setLanguage('nl');
  let config;
  try {
    config = await loadConfig(3);
  } catch {
    root.replaceChildren(h('h1', { class: 'page-heading' }, t('load.failed.title')), h('p', {}, t('load.failed.text')));
    return;
  }
  const form = new CitizenForm({ root, config, web });
  await setLanguage(params.get('lang') || form.savedLanguage() || 'nl');
  const sw = document.getElementById('language-switch');
  renderLanguageSwitch(sw, config.languages, async (code) => {
    form.collect();
    await setLanguage(code);
    markLanguage(sw);
    form.save();
    form.render(false);
    fillFooter(config);
  });
  fillFooter(config);
  form.show(decodeURIComponent(location.hash.slice(1)) || 'start', { focus: false });
}

function fillFooter(config) {
  const el = document.getElementById('footer-contact');
  if (!el) return;
  const c = config.contact;
  // replaceChildren takes nodes and strings, not arrays (an array is printed as its text).
  const parts = [t('footer.help') + ' ', h('a', { href: 'tel:' + c.phone.replace(/\s/g, '') }, c.phone)];
  if (c.email) parts.push(' · ', h('a', { href: 'mailto:' + c.email }, c.email));
  el.replaceChildren(...parts);
}

main();
