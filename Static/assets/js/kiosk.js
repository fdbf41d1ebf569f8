// The counter kiosk (/kiosk): the citizen flow plus enrolment check, idle wipe,
// on-screen keyboard and "ask for help at the desk".
import { loadConfig, getSession, createDraft, ApiError } from './api.js';
import { setLanguage, useTexts, renderLanguageSwitch, markLanguage, t, getLanguage, localName } from './i18n.js';
import { CitizenForm } from './flow.js';
import { Keyboard } from './keyboard.js';
import { h, formatTime } from './dom.js';

export const TOKEN_KEY = 'opunt.kiosk.token';

const root = document.getElementById('main');
const header = document.getElementById('kiosk-tools');
const dialog = document.getElementById('idle-dialog');
let form;
let keyboard;
let help = null; // {back, answers, code, expires_at, failed, pending, kept}

/** Staff-facing notice (Dutch, from the desk's texts) for a device that has no (valid) kiosk token. */
async function notEnrolled(reason) {
  header.hidden = true;
  useTexts('desk');
  try { await setLanguage('nl'); } catch { /* the keys show; staff still see the page is not enrolled */ }
  root.replaceChildren(h('div', { class: 'screen screen--notice', 'data-screen': 'not-enrolled' },
    h('h1', { class: 'page-heading' }, t('kiosk.unenrolled.title')),
    h('p', {}, t(reason === 'revoked' ? 'kiosk.unenrolled.revoked' : 'kiosk.unenrolled.text')),
    h('p', {}, t('kiosk.unenrolled.how')),
    h('p', { class: 'hint' }, t('kiosk.unenrolled.citizens'))));
  document.title = t('kiosk.unenrolled.title') + ' — ' + t('app.name');
}

/** Timings in ms: the config's, or ?idle=&warn=&confirm= (seconds) for tests. */
function timings(config) {
  const p = new URLSearchParams(location.search);
  const pick = (name, fallback) => {
    const v = Number(p.get(name));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const k = config.kiosk || {};
  const s = {
    idle: pick('idle', k.idle_seconds || 120),
    warn: pick('warn', k.idle_warning_seconds || 30),
    confirm: pick('confirm', k.confirmation_seconds || 60),
  };
  config.kiosk = { ...k, idle_seconds: s.idle, idle_warning_seconds: s.warn, confirmation_seconds: s.confirm };
  return { idle: s.idle * 1000, warn: s.warn * 1000, confirm: s.confirm * 1000 };
}

// -- idle privacy ---------------------------------------------------------------
let timing;
let idleTimer = null;
let warnTimer = null;
let tick = null;
let countTick = null;

/** Counts down, on the screen's #reset-note, the seconds until the wipe. */
function countdown(ms) {
  const end = Date.now() + ms;
  const show = () => {
    const el = document.getElementById('reset-note');
    if (el) el.textContent = t('done.reset', { seconds: Math.max(0, Math.ceil((end - Date.now()) / 1000)) });
  };
  show();
  countTick = setInterval(show, 1000);
}

function arm() {
  clearTimeout(idleTimer);
  clearInterval(countTick);
  idleTimer = null;
  if (!form || dialog.open || form.isPristine()) return;
  const short = form.screen === 'done' || form.screen === 'help';
  idleTimer = setTimeout(short ? wipe : warn, short ? timing.confirm : timing.idle);
  if (short) countdown(timing.confirm);
}

function warn() {
  let left = Math.ceil(timing.warn / 1000);
  const count = document.getElementById('idle-seconds');
  count.textContent = String(left);
  document.getElementById('idle-text').textContent = t('idle.text', { seconds: left });
  keyboard.hide();
  dialog.showModal();
  document.getElementById('idle-continue').focus();
  tick = setInterval(() => { left = Math.max(0, left - 1); count.textContent = String(left); }, 1000);
  warnTimer = setTimeout(wipe, timing.warn);
}

function stillHere() {
  clearInterval(tick);
  clearTimeout(warnTimer);
  if (dialog.open) dialog.close();
  arm();
}

/** Forgets everything of the last citizen: memory, storage (but the enrolment), fields, language. */
async function wipe() {
  clearTimeout(idleTimer);
  clearTimeout(warnTimer);
  clearInterval(tick);
  clearInterval(countTick);
  if (dialog.open) dialog.close();
  keyboard.hide();
  help = null;
  try {
    sessionStorage.clear();
    for (const k of Object.keys(localStorage)) if (k !== TOKEN_KEY) localStorage.removeItem(k);
  } catch { /* storage off */ }
  await form.reset();
  markLanguage(document.getElementById('language-switch'));
  arm();
}

// -- help at the desk -------------------------------------------------------------
async function askHelp(token) {
  const answers = form.screen === 'help' ? null : form.draftAnswers();
  if (answers) help = { back: form.screen, answers };
  if (!help) return;
  help = { ...help, pending: true, failed: false, code: null };
  form.go('help');
  try {
    const d = await createDraft(token, help.answers, getLanguage());
    if (help) help = { ...help, pending: false, code: d.code, expires_at: d.expires_at };
  } catch (e) {
    if (help) help = { ...help, pending: false, failed: true, status: e instanceof ApiError ? e.status : 0 };
  }
  if (help && form.screen === 'help') form.render(true);
}

/** "Klaar": the citizen's answers leave the kiosk, the code stays on screen (and printable) until the countdown ends. */
function helpDone() {
  form.forget();
  help = { code: help.code, expires_at: help.expires_at, kept: true };
  form.render(false);
  arm();
}

/** The printable slip with the desk code (the page's print style prints #receipt alone). */
function fillSlip() {
  const c = form.config.contact;
  document.getElementById('receipt').replaceChildren(
    h('p', { class: 'receipt__org' }, `${localName(c.name)} — ${t('app.city')}`),
    h('p', { class: 'receipt__title' }, t('help.slip')),
    h('p', {}, t('help.show')),
    h('p', { class: 'receipt__ref', id: 'slip-code' }, help.code),
    h('img', { class: 'receipt__qr', id: 'slip-qr', src: `/kiosk/desk-code/${encodeURIComponent(help.code)}/qr.svg`, alt: t('help.slip'), width: '120', height: '120' }),
    h('p', {}, t('help.expires', { time: formatTime(help.expires_at, getLanguage(), form.config.time_zone, false) })),
    h('p', {}, t('help.what')));
}

function helpScreen(token) {
  const title = t('help.title');
  const back = h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'help-back', onclick: () => form.go(help ? help.back : 'start') }, t('help.back'));
  const print = () => h('button', { type: 'button', class: 'button button--primary', 'data-action': 'help-print', onclick: () => window.print() }, t('help.print'));
  let body;
  if (!help) {
    body = [h('p', {}, t('help.intro')), h('div', { class: 'actions actions--nav' }, back,
      h('button', { type: 'button', class: 'button button--primary', 'data-action': 'help-ask', onclick: () => askHelp(token) }, t('help.ask')))];
  } else if (help.pending) {
    body = [h('p', { role: 'status' }, t('help.wait'))];
  } else if (help.failed) {
    body = [h('div', { class: 'problem', role: 'alert' }, h('p', {}, t('help.failed'))),
      h('div', { class: 'actions actions--row' }, h('button', { type: 'button', class: 'button button--primary', 'data-action': 'help-retry', onclick: () => askHelp(token) }, t('help.retry')), back)];
  } else {
    fillSlip();
    body = [
      h('p', { class: 'lead' }, t('help.show')),
      h('p', { class: 'code-display' }, h('strong', { id: 'help-code', class: 'code' }, help.code)),
      h('p', {}, t('help.expires', { time: formatTime(help.expires_at, getLanguage(), form.config.time_zone, false) })),
      help.kept ? h('p', { id: 'help-kept' }, t('help.kept')) : h('p', {}, t('help.what')),
      h('p', { class: 'countdown', id: 'reset-note' }),
      help.kept
        ? h('div', { class: 'actions actions--nav' }, h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'new', onclick: () => wipe() }, t('done.new')), print())
        : h('div', { class: 'actions actions--nav' }, back,
          h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'help-done', onclick: helpDone }, t('help.done')), print()),
    ];
  }
  return { title, node: h('div', { class: 'screen', 'data-screen': 'help' }, h('h1', { class: 'page-heading' }, title), body) };
}

// -- start ---------------------------------------------------------------------------
async function main() {
  await setLanguage('nl');
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return notEnrolled();
  let config;
  try {
    config = await loadConfig();
  } catch {
    root.replaceChildren(h('h1', { class: 'page-heading' }, t('load.failed.title')), h('p', {}, t('load.failed.kiosk')));
    return;
  }
  try {
    const session = await getSession(token);
    if (session.role !== 'kiosk') return notEnrolled('revoked');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return notEnrolled('revoked');
    // The service is away: carry on, the submit retries until it is back.
  }
  timing = timings(config);
  keyboard = new Keyboard(document.getElementById('keyboard'));
  form = new CitizenForm({
    root, config, kiosk: true, token,
    extraScreens: { help: () => helpScreen(token) },
    onScreen: (name) => {
      document.getElementById('help-button').hidden = name === 'help';
      keyboard.hide(); // a new screen starts without it; touching a text field brings it back
      arm();
    },
  });
  await setLanguage(form.savedLanguage() || 'nl');
  const sw = document.getElementById('language-switch');
  renderLanguageSwitch(sw, config.languages, async (code) => {
    form.collect();
    await setLanguage(code);
    markLanguage(sw);
    keyboard.relabel();
    form.save();
    form.render(false);
  });
  header.hidden = false;
  document.getElementById('help-button').addEventListener('click', () => askHelp(token));
  document.getElementById('idle-continue').addEventListener('click', stillHere);
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); stillHere(); });
  for (const ev of ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart']) {
    document.addEventListener(ev, () => { if (!dialog.open) arm(); }, { capture: true, passive: true });
  }
  const start = decodeURIComponent(location.hash.slice(1));
  form.show(start && start !== 'help' ? start : 'start', { focus: false });
}

main();
