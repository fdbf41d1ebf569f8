// The desk (/desk): staff sign in with their token, finish a kiosk draft by its code,
// or register a signal that came in at the counter, by letter or by e-mail.
import { getDraft, loadConfig, createWithRetry, request, ApiError, uuid } from './api.js';
import { openSession, storedToken, forgetToken } from './session.js';
import { setLanguage, useTexts, t, localName, LANGUAGES } from './i18n.js';
import { h, errorSummary, textField, radios, select, checkedValue, formatTime } from './dom.js';
import { validate, signalBody, answersFrom, normaliseField, externalParty } from './validate.js';
import { emptyAnswers } from './flow.js';
import { wireAddress, uploadPhoto, photoErrorKey, photoInput, PHOTO_TYPES } from './staff-places.js';

const FIELD_IDS = {
  token: 'd-token', code: 'd-code', channel: 'd-channel', kind: 'd-kind', category: 'd-category', subcategory: 'd-category',
  description: 'd-description', address: 'd-address', district: 'd-district', experience_score: 'd-score',
  'contact.name': 'd-name', 'contact.email': 'd-email', 'contact.phone': 'd-phone', 'contact.language': 'd-language',
  consent_forward: 'd-consent', received_at: 'd-letter-date', 'contact.postal_address': 'd-postal',
  lat: 'd-address', lon: 'd-address', photo: 'd-scan', lookup: 'd-lookup',
};
const KINDS = ['report', 'complaint', 'suggestion', 'compliment'];
const CHANNELS = ['counter', 'letter', 'email'];

const root = document.getElementById('main');
const bar = document.getElementById('desk-bar');
const S = { place: null, scan: null, photo: null, lookup: null, token: null, session: null, config: null, view: 'signin', mode: null, draft: null, answers: null, errors: [], pending: null, result: null, problem: null };

function paint(title, ...children) {
  root.replaceChildren(...children.flat().filter((c) => c != null));
  const summary = root.querySelector('.error-summary');
  document.title = `${summary ? t('error.prefix') + ' ' : ''}${title} — ${t('desk.app')}`;
  if (summary) summary.focus();
  else {
    const focusEl = root.querySelector('.problem') || root.querySelector('h1');
    if (focusEl) { focusEl.tabIndex = -1; focusEl.focus(); }
  }
}

const err = (field) => { const e = S.errors.find((x) => x.field === field); return e ? e.message : null; };
const summary = () => errorSummary(S.errors.map((e) => ({ ...e, target: FIELD_IDS[e.field] || 'desk-form' })));
const keyErrors = (list) => list.map((e) => ({ field: e.field, message: t(e.key) }));

function siteName() {
  const s = S.config && S.config.sites.find((x) => x.key === S.session.site);
  return s ? localName(s.name) : S.session.site || '';
}

function renderBar() {
  if (!S.session) { bar.hidden = true; bar.replaceChildren(); return; }
  bar.hidden = false;
  bar.replaceChildren(h('p', { class: 'desk-bar__who' }, t('desk.signed_in', { name: S.session.name, site: siteName() })),
    h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'sign-out', onclick: signOut }, t('desk.sign_out')));
}

// -- views ---------------------------------------------------------------------------
function viewSignin() {
  const title = t('desk.signin.title');
  paint(title, summary(),
    h('h1', { class: 'page-heading' }, title),
    h('form', { novalidate: true, class: 'question', onsubmit: (e) => { e.preventDefault(); signIn(); } },
      textField({ id: 'd-token', label: t('desk.signin.token'), hint: t('desk.signin.hint'), type: 'password', autocomplete: 'off',
        spellcheck: 'false', autocapitalize: 'none', width: 'wide', error: err('token') }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary' }, t('desk.signin.button')))));
}

function viewHome() {
  const title = t('desk.home.title', { site: siteName() });
  paint(title, summary(),
    h('h1', { class: 'page-heading' }, title),
    h('section', { class: 'desk-section', 'aria-labelledby': 'h-draft' },
      h('h2', { id: 'h-draft' }, t('desk.draft.title')),
      h('form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); openDraft(); } },
        textField({ id: 'd-code', label: t('desk.draft.code'), hint: t('desk.draft.code.hint'), width: 'code', autocomplete: 'off',
          spellcheck: 'false', autocapitalize: 'characters', value: S.codeInput || '', error: err('code') }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary', 'data-action': 'open-draft' }, t('desk.draft.open'))))),
    h('section', { class: 'desk-section', 'aria-labelledby': 'h-new' },
      h('h2', { id: 'h-new' }, t('desk.new.title')),
      h('p', {}, t('desk.new.text')),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', 'data-action': 'new-signal', onclick: () => startForm('new') }, t('desk.new.button')))),
    lookupSection());
}

/** Looking up an existing signal by its reference (a citizen asks, or a letter repeats one). */
function lookupSection() {
  const found = S.lookup && S.lookup.result;
  const row = (k, v) => [h('dt', { class: 'summary__key' }, t(k)), h('dd', { class: 'summary__value' }, v)];
  return h('section', { class: 'desk-section', 'aria-labelledby': 'h-lookup' },
    h('h2', { id: 'h-lookup' }, t('desk.lookup.title')),
    h('form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); lookup(); } },
      textField({ id: 'd-lookup', label: t('desk.lookup.reference'), hint: t('desk.lookup.hint'), width: 'medium', autocomplete: 'off',
        spellcheck: 'false', autocapitalize: 'characters', value: S.lookup ? S.lookup.value : '', error: err('lookup') }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'lookup' }, t('desk.lookup.button')))),
    found ? h('div', { class: 'desk-found', id: 'desk-found' },
      h('h3', { id: 'desk-found-title', tabindex: '-1' }, found.reference),
      h('dl', { class: 'summary' },
        row('desk.lookup.status', t('desk.status.' + found.status)),
        row('desk.lookup.received', formatTime(found.received_at, 'nl', S.config.time_zone)),
        row('desk.lookup.channel', t('desk.channel.' + found.channel)),
        row('desk.lookup.category', categoryLabel(found.category)),
        row('desk.lookup.address', found.address || t('desk.lookup.none')),
        row('desk.lookup.description', found.description || t('desk.lookup.none')),
        row('desk.lookup.answer', found.answer || t('desk.lookup.not_answered')))) : null);
}

function categoryLabel(key) {
  const [main, sub] = (key || '').split('/');
  const c = S.config.categories.find((x) => x.key === main);
  if (!c) return key || t('desk.lookup.none');
  const s = sub ? (c.subcategories || []).find((x) => x.key === sub) : null;
  return s ? `${localName(c.name)} — ${localName(s.name)}` : localName(c.name);
}

async function lookup() {
  const raw = (document.getElementById('d-lookup').value || '').trim();
  S.lookup = { value: raw, result: null };
  S.errors = [];
  if (!raw) { S.errors = keyErrors([{ field: 'lookup', key: 'desk.error.lookup_empty' }]); return render(); }
  try {
    S.lookup.result = await request('GET', '/api/v1/signals/' + encodeURIComponent(raw), { token: S.token });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    S.errors = keyErrors([{ field: 'lookup', key: e instanceof ApiError && (e.status === 404 || e.status === 422) ? 'desk.error.lookup_unknown' : 'desk.error.offline' }]);
  }
  render();
  if (S.lookup.result) document.getElementById('desk-found-title').focus();
}

function categoryOptions() {
  const opts = [{ value: '', label: t('desk.category.choose') }];
  for (const c of S.config.categories) {
    if (c.subcategories && c.subcategories.length) {
      opts.push({ group: localName(c.name), options: [{ value: c.key, label: `${localName(c.name)} — ${t('desk.category.general')}` },
        ...c.subcategories.map((s) => ({ value: `${c.key}/${s.key}`, label: `${localName(c.name)} — ${localName(s.name)}` }))] });
    } else opts.push({ value: c.key, label: localName(c.name) });
  }
  return opts;
}

function party(main, sub) {
  const p = externalParty(S.config, main, sub);
  return p ? { ...p, name: localName(p.name) } : null;
}

function consentBlock(a) {
  const p = party(a.main, a.sub);
  const box = h('div', { id: 'consent-block', class: 'inset' });
  box.hidden = !p;
  if (p) {
    box.append(radios({ id: 'd-consent', name: 'consent', legend: t('desk.consent', { party: p.name }), error: err('consent_forward'),
      value: a.consent_forward == null ? null : String(a.consent_forward),
      options: [{ value: 'true', label: t('answer.yes') }, { value: 'false', label: t('answer.no') }] }),
    h('p', { class: 'hint' }, t('desk.party', { party: p.name }) + ' ' + [p.phone, p.email, p.url].filter(Boolean).join(' · ')));
  }
  return box;
}

// -- letters and e-mails (docs/interface.md §3 and 4) ----------------------------------------------
/** The city's today as YYYY-MM-DD. */
function cityToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: S.config.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A desk may date a letter or an e-mail: not in the future, at most 90 days back. */
function letterBlock(a) {
  const box = h('div', { id: 'letter-block' });
  if (a.channel !== 'letter' && a.channel !== 'email') return box;
  const today = cityToday();
  const min = new Date(Date.parse(today + 'T12:00:00Z') - 90 * 86400000).toISOString().slice(0, 10);
  const field = textField({ id: 'd-letter-date', type: 'date', label: t(a.channel === 'letter' ? 'desk.letter.date' : 'desk.email.date'),
    hint: t('desk.letter.date.hint'), value: a.letter_date || '', error: err('received_at'), width: 'medium' });
  const input = field.querySelector('input');
  input.max = today;
  input.min = min;
  box.append(field);
  return box;
}

/** Where a reply by post goes: only for letters. */
function postalBlock(a) {
  const box = h('div', { id: 'postal-block' });
  if (a.channel !== 'letter') return box;
  box.append(textField({ id: 'd-postal', label: t('desk.postal'), hint: t('desk.postal.hint'), multiline: true, rows: 4,
    value: a.contact.postal_address || '', error: err('contact.postal_address'), width: 'wide', autocomplete: 'off' }));
  return box;
}

/** The desk's own checks of the two fields above, in the words of the form. */
function letterErrors(a) {
  const errors = [];
  if (a.channel === 'letter' || a.channel === 'email') {
    const d = a.letter_date || '';
    const today = cityToday();
    const back = new Date(Date.parse(today + 'T12:00:00Z') - 90 * 86400000).toISOString().slice(0, 10);
    if (d && !/^\d{4}-\d{2}-\d{2}$/.test(d)) errors.push({ field: 'received_at', key: 'desk.error.letter_date' });
    else if (d && d > today) errors.push({ field: 'received_at', key: 'desk.error.letter_future' });
    else if (d && d < back) errors.push({ field: 'received_at', key: 'desk.error.letter_old' });
  }
  if (a.channel === 'letter') {
    const lines = (a.contact.postal_address || '').split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
    if (lines.length > 6 || lines.some((l) => l.length > 60) || lines.join('\n').length > 300) {
      errors.push({ field: 'contact.postal_address', key: 'desk.error.postal' });
    }
  }
  return errors;
}

function viewForm() {
  const a = S.answers;
  const draft = S.mode === 'draft';
  const title = draft ? t('desk.form.draft_title', { code: S.draft.code }) : t('desk.form.new_title');
  const langName = (l) => t('lang.name.' + l);
  const form = h('form', { novalidate: true, class: 'desk-form', id: 'desk-form', onsubmit: (e) => { e.preventDefault(); submitForm(); } },
    draft ? h('p', { class: 'inset', id: 'draft-meta' }, t('desk.form.draft_meta', {
      language: langName(S.draft.language || 'nl'), created: formatTime(S.draft.created_at, 'nl', S.config.time_zone),
      expires: formatTime(S.draft.expires_at, 'nl', S.config.time_zone, false) })) : null,
    draft ? null : radios({ id: 'd-channel', name: 'channel', legend: t('desk.channel'), error: err('channel'), value: a.channel,
      options: CHANNELS.map((c) => ({ value: c, label: t('desk.channel.' + c) })) }),
    radios({ id: 'd-kind', name: 'kind', legend: t('check.kind'), error: err('kind'), value: a.kind, columns: true,
      options: KINDS.map((k) => ({ value: k, label: t(`kind.${k}.label`) })) }),
    select({ id: 'd-category', label: t('check.category'), error: err('category') || err('subcategory'),
      value: a.main ? (a.sub ? `${a.main}/${a.sub}` : a.main) : '', options: categoryOptions() }),
    textField({ id: 'd-description', label: t('check.description'), multiline: true, value: a.description, error: err('description'), rows: 6 }),
    textField({ id: 'd-address', label: t('location.address'), hint: t('desk.address.hint'), value: a.address, error: err('address'), autocomplete: 'off', width: 'wide' }),
    h('p', { class: 'place-chosen', id: 'd-place', role: 'status' }, placeText()),
    select({ id: 'd-district', label: t('location.district'), value: a.district || '', error: err('district'),
      options: [{ value: '', label: t('desk.district.none') }, ...S.config.districts.map((d) => ({ value: d.key, label: localName(d.name) }))] }),
    draft ? radios({ id: 'd-score', name: 'score', legend: t('check.experience'), error: err('experience_score'), columns: true,
      value: a.experience_score ? String(a.experience_score) : '0',
      options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} — ${t('experience.' + n)}` })).concat([{ value: '0', label: t('check.empty') }]) }) : null,
    draft ? null : letterBlock(a),
    h('fieldset', { class: 'fieldset' }, h('legend', { class: 'legend' }, t('check.contact')),
      textField({ id: 'd-name', label: t('contact.name'), value: a.contact.name, autocomplete: 'off', width: 'wide', error: err('contact.name') }),
      textField({ id: 'd-email', label: t('contact.email'), type: 'email', inputmode: 'email', autocomplete: 'off', spellcheck: 'false',
        autocapitalize: 'none', value: a.contact.email, width: 'wide', error: err('contact.email') }),
      textField({ id: 'd-phone', label: t('contact.phone'), type: 'tel', inputmode: 'tel', autocomplete: 'off', value: a.contact.phone,
        width: 'medium', error: err('contact.phone') }),
      select({ id: 'd-language', label: t('desk.language'), value: a.contact.language || 'nl', error: err('contact.language'),
        options: LANGUAGES.map((l) => ({ value: l, label: langName(l) })) }),
      draft ? null : postalBlock(a)),
    consentBlock(a),
    scanBlock(),
    h('div', { id: 'desk-problem' }, S.problem ? h('div', { class: 'problem', role: 'alert' }, h('p', {}, S.problem)) : null),
    h('div', { class: 'status', id: 'desk-status', role: 'status', 'aria-live': 'polite' }),
    h('div', { class: 'actions actions--row' },
      h('button', { type: 'submit', class: 'button button--primary', id: 'desk-submit', 'data-action': 'desk-submit' }, t(draft ? 'desk.form.submit_draft' : 'desk.form.submit_new')),
      h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'desk-cancel', onclick: home }, t('desk.form.cancel'))));
  form.addEventListener('change', (e) => {
    if (e.target.name === 'channel') {
      collect();
      form.querySelector('#letter-block').replaceWith(letterBlock(S.answers));
      form.querySelector('#postal-block').replaceWith(postalBlock(S.answers));
    }
    if (e.target.id === 'd-category') {
      const before = party(S.answers.main, S.answers.sub);
      collect();
      const after = party(S.answers.main, S.answers.sub);
      if (!after || !before || after.key !== before.key) S.answers.consent_forward = null;
      form.querySelector('#consent-block').replaceWith(consentBlock(S.answers));
    }
  });
  form.querySelector('#d-scan').addEventListener('change', (e) => {
    S.scan = e.target.files && e.target.files[0] ? e.target.files[0] : null;
    form.querySelector('#d-scan-chosen').textContent = S.scan ? t('desk.scan.chosen', { name: S.scan.name }) : '';
  });
  wireAddress(form.querySelector('#d-address'), {
    label: (n) => t('desk.address.count', { n }), listLabel: t('desk.address.list'),
    onPick: (fields) => {
      S.place = fields;
      if (fields && fields.district) form.querySelector('#d-district').value = fields.district;
      form.querySelector('#d-place').textContent = placeText();
    },
  });
  paint(title, h('a', { href: '#', class: 'back-link', onclick: (e) => { e.preventDefault(); home(); } }, t('nav.back')), summary(),
    h('h1', { class: 'page-heading' }, title), form);
}

/** Under the address: what a chosen suggestion placed (district), or nothing. */
function placeText() {
  if (!S.place) return '';
  const d = S.place.district && S.config.districts.find((x) => x.key === S.place.district);
  return d ? t('desk.address.placed_district', { district: localName(d.name) }) : t('desk.address.placed');
}

/** A scanned letter (or a photo a citizen brings or mails): stored as the signal's photo once it exists. */
function scanBlock() {
  const box = h('div', { id: 'scan-block' },
    photoInput({ id: 'd-scan', label: t('desk.scan'), hint: t('desk.scan.hint'), error: err('photo') }));
  box.append(h('p', { class: 'hint', id: 'd-scan-chosen' }, S.scan ? t('desk.scan.chosen', { name: S.scan.name }) : ''));
  return box;
}

function viewDone() {
  const r = S.result;
  const title = t('desk.done.title');
  const c = S.config.contact;
  document.getElementById('receipt').replaceChildren(
    h('p', { class: 'receipt__org' }, `${localName(c.name)} — ${t('app.city')}`),
    h('p', { class: 'receipt__title' }, t('receipt.title')), h('p', { class: 'receipt__ref' }, r.reference),
    h('p', {}, `${t('receipt.date')}: ${formatTime(r.received_at, 'nl', S.config.time_zone)}`),
    h('p', {}, t('receipt.keep')), h('p', {}, `${localName(c.name)}: ${c.phone}${c.email ? ' · ' + c.email : ''}`));
  paint(title,
    h('div', { class: 'panel' }, h('h1', { class: 'panel__title' }, title),
      h('p', { class: 'panel__body' }, t('done.reference'), h('br'), h('strong', { class: 'reference', id: 'reference' }, r.reference))),
    S.photo ? h(S.photo.ok ? 'p' : 'div', S.photo.ok ? { id: 'done-photo' } : { id: 'done-photo', class: 'problem', role: 'alert' }, S.photo.text) : null,
    h('p', { id: 'done-channel' }, t('desk.done.channel', { channel: t('desk.channel.' + r.channel) + (r.assisted ? ' · ' + t('desk.done.assisted') : '') })),
    h('div', { class: 'actions actions--row' },
      h('button', { type: 'button', class: 'button button--secondary', onclick: () => window.print() }, t('done.print')),
      h('button', { type: 'button', class: 'button', 'data-action': 'desk-home', onclick: home }, t('desk.done.home'))));
}

function render() {
  renderBar();
  ({ signin: viewSignin, home: viewHome, form: viewForm, done: viewDone })[S.view]();
}

// -- actions ---------------------------------------------------------------------------
function home() { S.view = 'home'; S.errors = []; S.problem = null; S.draft = null; S.lookup = null; render(); }

function signOut() {
  forgetToken();
  Object.assign(S, { token: null, session: null, view: 'signin', errors: [], problem: null });
  render();
}

async function signIn(stored) {
  const token = stored || (document.getElementById('d-token').value || '').trim();
  S.errors = [];
  const result = await openSession(token, ['desk']);
  if (result.session) {
    Object.assign(S, { token, session: result.session, view: 'home' });
  } else {
    const key = { empty: 'desk.error.token_empty', role: 'desk.error.not_desk', token: 'desk.error.token', offline: 'desk.error.offline' }[result.error];
    S.errors = keyErrors([{ field: 'token', key }]);
    S.view = 'signin';
  }
  render();
}

async function openDraft() {
  const code = (document.getElementById('d-code').value || '').trim().toUpperCase().replace(/[\s-]/g, '');
  S.codeInput = code;
  S.errors = [];
  if (!/^[A-Z0-9]{6}$/.test(code)) { S.errors = keyErrors([{ field: 'code', key: 'desk.error.code_format' }]); return render(); }
  try {
    S.draft = await getDraft(S.token, code);
    S.codeInput = '';
    startForm('draft');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    S.errors = keyErrors([{ field: 'code', key: e instanceof ApiError && e.status === 404 ? 'desk.error.code_unknown' : 'desk.error.offline' }]);
    render();
  }
}

function startForm(mode) {
  S.mode = mode;
  S.answers = mode === 'draft' ? answersFrom(S.draft.answers) : { ...emptyAnswers(), channel: null };
  if (mode === 'draft' && !S.answers.contact.language) S.answers.contact.language = S.draft.language || 'nl';
  S.pending = null;
  S.errors = [];
  S.problem = null;
  S.place = null;
  S.scan = null;
  S.photo = null;
  S.view = 'form';
  render();
}

function collect() {
  const f = document.getElementById('desk-form');
  if (!f) return;
  const a = S.answers;
  const v = (id) => f.querySelector('#' + id).value;
  if (S.mode === 'new') a.channel = checkedValue(f, 'channel');
  a.kind = checkedValue(f, 'kind');
  const [main, sub] = v('d-category').split('/');
  if (main !== a.main) a.consent_forward = null;
  a.main = main || null;
  a.sub = main ? sub || '' : null;
  a.description = v('d-description');
  a.address = v('d-address');
  a.district = v('d-district');
  if (S.mode === 'draft') { const s = checkedValue(f, 'score'); a.experience_score = s && s !== '0' ? Number(s) : null; }
  a.contact = { name: v('d-name'), email: v('d-email'), phone: v('d-phone'), language: v('d-language'),
    postal_address: f.querySelector('#d-postal') ? v('d-postal') : a.contact.postal_address };
  if (f.querySelector('#d-letter-date')) a.letter_date = v('d-letter-date');
  const c = checkedValue(f, 'consent');
  if (c != null) a.consent_forward = c === 'true';
}

async function submitForm() {
  if (S.sending) return;
  collect();
  const a = S.answers;
  const fields = [...(S.mode === 'new' ? ['channel'] : []), 'kind', 'category', 'description', 'address', 'contact.email', 'contact.phone', 'consent_forward'];
  const scanErrors = S.scan && !PHOTO_TYPES.includes(S.scan.type) ? [{ field: 'photo', key: 'desk.photo.error.type' }]
    : S.scan && S.scan.size > S.config.photos.max_bytes ? [{ field: 'photo', key: 'desk.photo.error.large' }] : [];
  S.errors = keyErrors([...validate(fields, a, S.config), ...(S.mode === 'new' ? letterErrors(a) : []), ...scanErrors]);
  S.problem = null;
  if (S.errors.length) return render();
  const body = signalBody(a, S.config, { withScore: S.mode === 'draft' });
  if (S.mode === 'new') body.channel = a.channel;
  // A chosen address brings its coordinates; the service then places the district from them (§14).
  if (S.place && S.place.address === (a.address || '').trim()) {
    body.address = S.place.address;
    body.lat = S.place.lat;
    body.lon = S.place.lon;
    if (S.place.district) body.district = S.place.district;
  }
  if (S.mode === 'new' && a.channel === 'letter' && (a.contact.postal_address || '').trim()) {
    body.contact = { ...(body.contact || { language: a.contact.language || 'nl' }), postal_address: a.contact.postal_address.trim() };
  }
  // The date on the letter: noon UTC is the same calendar day in Europe; today is the service's clock.
  if (S.mode === 'new' && (a.channel === 'letter' || a.channel === 'email') && a.letter_date && a.letter_date !== cityToday()) {
    body.received_at = `${a.letter_date}T12:00:00Z`;
  }
  const path = S.mode === 'draft' ? `/api/v1/drafts/${encodeURIComponent(S.draft.code)}/submit` : '/api/v1/signals';
  const json = JSON.stringify(body);
  if (!S.pending || S.pending.body !== json) S.pending = { key: uuid(), body: json };
  S.sending = true;
  const status = document.getElementById('desk-status');
  status.textContent = t('submit.sending');
  try {
    const signal = await createWithRetry(path, body, { token: S.token, key: S.pending.key, onWait: () => { status.textContent = t('submit.waiting'); } });
    S.result = signal;
    S.pending = null;
    S.photo = null;
    if (S.scan) {
      status.textContent = t('desk.scan.sending');
      try {
        await uploadPhoto(S.token, signal.reference, S.scan);
        S.photo = { ok: true, text: t('desk.scan.stored') };
      } catch (pe) {
        S.photo = { ok: false, text: t('desk.scan.failed', { reason: t('desk.photo.' + photoErrorKey(pe)) }) };
      }
      S.scan = null;
    }
    S.view = 'done';
    render();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { S.sending = false; return signOut(); }
    if (e instanceof ApiError && e.status === 422 && e.fieldErrors.length) {
      const seen = new Set();
      S.errors = [];
      for (const fe of e.fieldErrors) {
        const f = ['received_at', 'contact.postal_address'].includes(fe.field) ? fe.field : normaliseField(fe.field);
        if (seen.has(f)) continue;
        seen.add(f);
        const key = t('error.api.' + f) !== 'error.api.' + f ? 'error.api.' + f : 'error.api.generic';
        S.errors.push({ field: f, message: t(key) });
      }
    } else if (e instanceof ApiError && e.status === 404) {
      S.problem = t('desk.error.draft_gone');
    } else if (e instanceof ApiError) {
      S.problem = t('desk.error.refused', { status: e.status });
    } else {
      S.problem = t('submit.unreachable.desk');
    }
    render();
  } finally {
    S.sending = false;
  }
}

async function main() {
  useTexts('desk'); // the desk's own (Dutch) texts
  await setLanguage('nl');
  try {
    S.config = await loadConfig(3);
  } catch {
    root.replaceChildren(h('h1', { class: 'page-heading' }, t('load.failed.title')), h('p', {}, t('load.failed.text')));
    return;
  }
  const stored = storedToken();
  if (stored) await signIn(stored);
  else render();
}

main();
