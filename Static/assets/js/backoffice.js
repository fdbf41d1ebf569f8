// The back office (/backoffice), a work queue for a working day on a wide screen: the queue
// (earliest due first, age and due date shown, overdue marked in text and colour, search,
// filters, a selection for bulk route / assign / close) beside the chosen signal (route,
// classify, assign, notes, merge, answer and close; a closed signal read-only until reopened),
// its history beside it. Keyboard shortcuts for the common steps. Dutch only.
import { ApiError } from './api.js';
import { localName } from './i18n.js';
import { h, select, formatTime } from './dom.js';
import { startPage, forgetToken, tx, api, signInView, pageFrame, lang } from './staff.js';
import { photoDataUrl } from './staff-places.js';
import { mailStatus, mailBanner, loadMessages, messagesSection, retryMessage, answerPreview, previewBox, needsLetter, openLetter, closeLetter } from './messages.js';

const TEXTS = ['backoffice', 'messages'];
const STATUSES = ['received', 'in_progress', 'answered', 'closed'];
// The same steps as SignalStatus.allowedNext in the service.
const NEXT = { received: ['in_progress', 'closed'], in_progress: ['answered', 'closed'], answered: ['closed', 'in_progress'], closed: ['in_progress'] };
const KINDS = ['report', 'complaint', 'suggestion', 'compliment'];
const DAY = 86400000;
// The shortcuts, listed on the page: key → what it does.
const SHORTCUTS = [['j', 'keys.next'], ['k', 'keys.previous'], ['/', 'keys.search'], ['a', 'keys.assign'], ['n', 'keys.note'],
  ['x', 'keys.select'], ['m', 'keys.merge'], ['b', 'keys.answer']];
const ROUTES = ['opunt', 'special_procedure', 'external'];
const NATURES = ['service', 'policy', 'combination', 'undetermined'];
// A complaint's outcome (docs/interface.md §4), recorded when it is answered.
const OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld', 'inadmissible'];
const CHANNELS = ['web', 'kiosk', 'counter', 'phone', 'email', 'letter'];
const FIELD_IDS = {
  status: 'bo-status', route: 'bo-route', department: 'bo-department', special_procedure: 'bo-procedure',
  external_party: 'bo-party', consent_forward: 'bo-consent', nature: 'bo-nature', outcome: 'bo-outcome', answer: 'bo-answer',
};

const root = document.getElementById('main');
const bar = document.getElementById('staff-bar');
const S = {
  session: null, config: null, staffConfig: null,
  filters: { q: '', sort: 'due', status: 'received,in_progress', overdue: '', kind: '', department: '', assignee: '',
    channel: '', site: '', category: '', district: '' },
  items: [], cursor: null, selected: null, history: [], errors: [], problem: null, message: null, referral: null,
  mail: null, messages: null, messagesProblem: null,
  // The bulk selection (references), and what the last bulk action or side action said.
  chosen: new Set(), bulkProblem: null, bulkMessage: null,
  // The open signal's photos ({reference, items: [{id, url, thumbnail_url, src}], failed}) and the one shown whole.
  photos: null, photoView: null,
};

const name = (list, key) => { const x = (list || []).find((i) => i.key === key); return x ? localName(x.name) : key; };
function categoryName(path) {
  if (!path) return '';
  const [main, sub] = path.split('/');
  const c = S.config.categories.find((x) => x.key === main);
  if (!c) return path;
  const s = sub && c.subcategories.find((x) => x.key === sub);
  return s ? `${localName(c.name)} — ${localName(s.name)}` : localName(c.name);
}
const when = (iso) => (iso ? formatTime(iso, lang(), S.config.time_zone) : tx('none'));
const dayOnly = (iso) => {
  try { return new Intl.DateTimeFormat('nl-BE', { dateStyle: 'medium', timeZone: S.config.time_zone }).format(new Date(iso)); } catch { return iso; }
};
/** "3 dagen oud" from received_at. */
function age(s) {
  const days = Math.floor((Date.now() - new Date(s.received_at).getTime()) / DAY);
  return days <= 0 ? tx('age.today') : days === 1 ? tx('age.one') : tx('age.days', { days });
}
/** "Uiterlijk 12 jan. 2026", or "Te laat sinds 3 dagen (uiterlijk …)" for an overdue signal. */
function due(s) {
  if (!s.due_at) return tx('none');
  if (!s.overdue) return tx('due.by', { date: dayOnly(s.due_at) });
  const days = Math.max(1, Math.floor((Date.now() - new Date(s.due_at).getTime()) / DAY));
  return tx('due.late', { days, date: dayOnly(s.due_at) });
}
const languageName = (code) => (code ? tx('language.' + code) : tx('language.unknown'));

// -- rendering -----------------------------------------------------------------------
function render(focus) {
  if (!pageFrame({ bar, root, session: S.session, signOut, onSignedIn })) return;
  if (S.photoView) { photoView(); return; }
  const title = S.selected ? tx('detail.title', { reference: S.selected.reference }) : tx('queue.title');
  document.title = `${title} — ${tx('title')}`;
  root.replaceChildren(
    h('h1', { class: 'page-heading' }, tx('title')),
    mailBanner(S.mail) || '',
    h('div', { class: 'bo-layout' }, queueSection(), detailSection()),
    shortcutsSection());
  mountMap();
  const target = focus && document.getElementById(focus);
  if (target) target.focus();
}

// -- place and photos (docs/interface.md §14) ----------------------------------------
/** The signal's photos as thumbnails; a click shows the whole photo in a view of its own. */
function photosSection(s) {
  const p = S.photos && S.photos.reference === s.reference ? S.photos : null;
  if (!p || (!p.items.length && !p.failed)) return null;
  return h('section', { 'aria-labelledby': 'h-photos', class: 'photos-section' },
    h('h3', { id: 'h-photos' }, tx('photos.title', { n: p.items.length })),
    p.failed ? h('p', { class: 'hint' }, tx('photos.failed')) : null,
    h('ul', { class: 'photos', id: 'photos' }, p.items.map((ph, i) => h('li', {},
      h('button', { type: 'button', class: 'photo-thumb', id: 'photo-' + ph.id, 'data-action': 'open-photo', onclick: () => openPhoto(i) },
        ph.src ? h('img', { src: ph.src, alt: tx('photos.thumb', { n: i + 1, width: ph.width, height: ph.height }) })
          : h('span', {}, tx('photos.thumb', { n: i + 1, width: ph.width, height: ph.height })))))));
}

async function openPhoto(i) {
  const ph = S.photos.items[i];
  S.photoView = { index: i, src: null, failed: false };
  render();
  try {
    S.photoView.src = await photoDataUrl(S.session.token, ph.url);
  } catch {
    S.photoView.failed = true;
  }
  if (S.photoView && S.photoView.index === i) render();
}

function closePhoto() {
  const i = S.photoView ? S.photoView.index : 0;
  S.photoView = null;
  render();
  const ph = S.photos && S.photos.items[i];
  const back = ph && document.getElementById('photo-' + ph.id);
  if (back) back.focus();
}

/** One photo, whole, in a view of its own (the back button returns to the signal). */
function photoView() {
  const v = S.photoView;
  const s = S.selected;
  const title = tx('photos.view_title', { n: v.index + 1, reference: s.reference });
  document.title = `${title} — ${tx('title')}`;
  const ph = S.photos.items[v.index];
  root.replaceChildren(
    h('h1', { class: 'page-heading', id: 'photo-heading', tabindex: '-1' }, title),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'close-photo', onclick: closePhoto }, tx('photos.back'))),
    v.failed ? h('div', { class: 'problem', role: 'alert' }, h('p', {}, tx('photos.failed')))
      : v.src ? h('img', { class: 'photo-full', id: 'photo-full', src: v.src, alt: tx('photos.full', { n: v.index + 1, width: ph.width, height: ph.height }) })
        : h('p', { role: 'status' }, tx('photos.loading')));
  document.getElementById('photo-heading').focus();
}

async function loadPhotos(reference) {
  try {
    const doc = await api(session(), 'GET', `/api/v1/signals/${encodeURIComponent(reference)}/photos`);
    const items = doc.items.map((x) => ({ ...x, src: null }));
    await Promise.all(items.map(async (x) => { try { x.src = await photoDataUrl(S.session.token, x.thumbnail_url); } catch { x.src = null; } }));
    return { reference, items, failed: false };
  } catch (e) {
    // 403/404: this role may not see them, or none; anything else is said.
    return { reference, items: [], failed: !(e instanceof ApiError && (e.status === 403 || e.status === 404)) };
  }
}

/** A map with a pin when the signal has coordinates and the config names a tile server. */
function mapBlock(s) {
  if (s.lat == null || s.lon == null || !S.config.map) return null;
  return h('div', { class: 'bo-map', id: 'bo-map', role: 'region', 'aria-label': tx('map.label', { address: s.address || `${s.lat}, ${s.lon}` }),
    'data-lat': String(s.lat), 'data-lon': String(s.lon) });
}

let leaflet = null;
/** Leaflet (served from Debian's libjs-leaflet, docs/interface.md §14), loaded the first time a map is shown. */
function loadLeaflet() {
  if (!leaflet) {
    const css = new Promise((resolve) => {
      const link = h('link', { rel: 'stylesheet', href: '/assets/leaflet/leaflet.css' });
      link.addEventListener('load', resolve);
      link.addEventListener('error', resolve);
      document.head.append(link);
    });
    leaflet = Promise.all([import('/assets/leaflet/leaflet.esm.js'), css]).then(([L]) => L);
  }
  return leaflet;
}

async function mountMap() {
  const box = document.getElementById('bo-map');
  if (!box) return;
  const lat = Number(box.dataset.lat);
  const lon = Number(box.dataset.lon);
  let L;
  try { L = await loadLeaflet(); } catch { box.replaceChildren(h('p', { class: 'hint' }, tx('map.failed'))); return; }
  if (!box.isConnected) return;
  const map = L.map(box, { zoomControl: false, attributionControl: false, keyboard: false, scrollWheelZoom: false }).setView([lat, lon], 17);
  L.control.zoom({ zoomInTitle: tx('map.zoom_in'), zoomOutTitle: tx('map.zoom_out') }).addTo(map);
  L.control.attribution({ prefix: false }).addAttribution(S.config.map.attribution).addTo(map);
  L.tileLayer(S.config.map.tile_url, { maxZoom: 19 }).addTo(map);
  L.marker([lat, lon], { keyboard: false, interactive: false, alt: tx('map.pin') }).addTo(map);
  for (const a of box.querySelectorAll('.leaflet-control-zoom a')) a.setAttribute('aria-label', a.title);
}

function queueSection() {
  const opt = (v, label) => ({ value: v, label });
  const f = S.filters;
  const categories = [opt('', tx('queue.all'))];
  for (const c of S.config.categories) {
    categories.push(opt(c.key, localName(c.name)));
    for (const s of c.subcategories) categories.push(opt(`${c.key}/${s.key}`, `${localName(c.name)} — ${localName(s.name)}`));
  }
  const form = h('form', { class: 'filters', id: 'queue-filters', role: 'search', 'aria-label': tx('queue.filters') },
    h('div', { class: 'field field--search' },
      h('label', { for: 'q-q', class: 'label' }, tx('queue.search')),
      h('p', { class: 'hint', id: 'q-q-hint' }, tx('queue.search.hint')),
      h('input', { id: 'q-q', name: 'q', type: 'search', class: 'input', value: f.q, maxlength: 200, autocomplete: 'off', 'aria-describedby': 'q-q-hint' })),
    select({ id: 'q-sort', label: tx('queue.sort'), value: f.sort, options: [opt('due', tx('queue.sort.due')), opt('received', tx('queue.sort.received'))] }),
    select({ id: 'q-status', label: tx('queue.status'), value: f.status,
      options: [opt('received,in_progress', tx('queue.status.open')), ...STATUSES.map((s) => opt(s, tx('status.' + s))), opt('', tx('queue.all'))] }),
    select({ id: 'q-overdue', label: tx('queue.overdue'), value: f.overdue, options: [opt('', tx('queue.all')), opt('true', tx('queue.overdue.only'))] }),
    select({ id: 'q-kind', label: tx('queue.kind'), value: f.kind, options: [opt('', tx('queue.all')), ...KINDS.map((k) => opt(k, tx('kind.' + k)))] }),
    select({ id: 'q-department', label: tx('queue.department'), value: f.department,
      options: [opt('', tx('queue.all')), ...S.staffConfig.departments.map((d) => opt(d.key, localName(d.name)))] }),
    h('div', { class: 'field' }, h('label', { for: 'q-assignee', class: 'label' }, tx('queue.assignee')),
      h('input', { id: 'q-assignee', name: 'assignee', type: 'text', class: 'input', value: f.assignee, maxlength: 100, autocomplete: 'off' })),
    select({ id: 'q-channel', label: tx('queue.channel'), value: f.channel, options: [opt('', tx('queue.all')), ...CHANNELS.map((c) => opt(c, tx('channel.' + c)))] }),
    select({ id: 'q-site', label: tx('queue.site'), value: f.site, options: [opt('', tx('queue.all')), ...S.config.sites.map((s) => opt(s.key, localName(s.name)))] }),
    select({ id: 'q-category', label: tx('queue.category'), value: f.category, options: categories }),
    select({ id: 'q-district', label: tx('queue.district'), value: f.district, options: [opt('', tx('queue.all')), ...S.config.districts.map((d) => opt(d.key, localName(d.name)))] }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--small', 'data-action': 'filter' }, tx('queue.show'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const k of Object.keys(S.filters)) S.filters[k] = form.querySelector('#q-' + k).value.trim();
    loadQueue(false);
  });
  const list = S.items.length
    ? h('ul', { class: 'queue', id: 'queue' }, S.items.map((s) => h('li', { class: 'queue__item' + (s.overdue ? ' queue__item--overdue' : '') },
      h('div', { class: 'queue__check' },
        h('input', { type: 'checkbox', id: 'sel-' + s.reference, class: 'queue__box', value: s.reference, checked: S.chosen.has(s.reference),
          onchange: (e) => { if (e.target.checked) S.chosen.add(s.reference); else S.chosen.delete(s.reference); S.bulkMessage = null; S.bulkProblem = null; render('sel-' + s.reference); } }),
        h('label', { for: 'sel-' + s.reference, class: 'visually-hidden' }, tx('queue.choose', { reference: s.reference }))),
      h('button', { type: 'button', class: 'queue__button', 'data-reference': s.reference, 'aria-current': S.selected && S.selected.reference === s.reference ? 'true' : null,
        onclick: () => open(s.reference) },
      h('span', { class: 'queue__ref' }, s.reference),
      h('span', { class: 'queue__tags' },
        s.overdue ? h('span', { class: 'tag tag--overdue' }, tx('queue.late')) : null,
        h('span', { class: 'tag tag--' + s.status }, tx('status.' + s.status))),
      h('span', { class: 'queue__due' + (s.overdue ? ' queue__due--late' : '') }, `${due(s)} · ${age(s)}`),
      h('span', { class: 'queue__meta' }, [tx('kind.' + s.kind), categoryName(s.category),
        s.department ? name(S.staffConfig.departments, s.department) : null,
        s.assignee ? tx('queue.assigned', { name: s.assignee }) : null].filter(Boolean).join(' · '))))))
    : h('p', { id: 'queue' }, tx('queue.empty'));
  return h('section', { class: 'queue-section', 'aria-labelledby': 'h-queue' },
    h('h2', { id: 'h-queue' }, tx('queue.title')), form,
    h('p', { class: 'hint small', role: 'status' }, tx('queue.count', { count: S.items.length })),
    bulkBar(),
    list,
    S.cursor ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'more', onclick: () => loadQueue(true) }, tx('queue.more'))) : null);
}

/** What to do with the selected signals: route to a department, assign, close — all or nothing. */
function bulkBar() {
  const n = S.chosen.size;
  const opt = (v, label) => ({ value: v, label });
  const status = h('div', { class: 'ok-message', id: 'bulk-message', role: 'status' }, S.bulkMessage || '');
  if (!n) return h('div', { class: 'bulk', id: 'bulk' }, h('p', { class: 'hint small' }, tx('bulk.none')), status);
  return h('section', { class: 'bulk bulk--active', id: 'bulk', 'aria-labelledby': 'h-bulk' },
    h('h3', { id: 'h-bulk', tabindex: '-1' }, tx('bulk.title', { count: n })),
    S.bulkProblem ? h('div', { class: 'problem', role: 'alert', id: 'bulk-problem', tabindex: '-1' }, h('p', {}, S.bulkProblem)) : null,
    h('div', { class: 'bulk__row' },
      select({ id: 'bulk-department', label: tx('bulk.department'), value: '', options: [opt('', tx('form.choose')), ...S.staffConfig.departments.map((d) => opt(d.key, localName(d.name)))] }),
      h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'bulk-route', onclick: () => {
        const d = document.getElementById('bulk-department').value;
        if (!d) { S.bulkProblem = tx('bulk.department.missing'); return render('bulk-problem'); }
        bulk({ route: 'opunt', department: d });
      } }, tx('bulk.route'))),
    h('div', { class: 'bulk__row' },
      h('div', { class: 'field' }, h('label', { for: 'bulk-assignee', class: 'label' }, tx('bulk.assignee')),
        h('input', { id: 'bulk-assignee', type: 'text', class: 'input', maxlength: 100, autocomplete: 'off' })),
      h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'bulk-assign', onclick: () => {
        const a = document.getElementById('bulk-assignee').value.trim();
        if (!a) { S.bulkProblem = tx('bulk.assignee.missing'); return render('bulk-problem'); }
        bulk({ assignee: a });
      } }, tx('bulk.assign'))),
    h('div', { class: 'bulk__row' },
      h('button', { type: 'button', class: 'button button--warning button--small', 'data-action': 'bulk-close', onclick: () => bulk({ status: 'closed' }) }, tx('bulk.close')),
      h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'bulk-clear', onclick: () => { S.chosen.clear(); render('q-q'); } }, tx('bulk.clear'))),
    status);
}

function shortcutsSection() {
  return h('section', { class: 'shortcuts', 'aria-labelledby': 'h-keys' },
    h('h2', { id: 'h-keys' }, tx('keys.title')),
    h('dl', { class: 'shortcuts__list', id: 'shortcuts' }, SHORTCUTS.map(([key, text]) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, tx(text))])));
}

function facts(s) {
  const rows = [
    ['detail.received', `${when(s.received_at)} (${age(s)})`],
    ['detail.due', due(s)],
    ['detail.kind', tx('kind.' + s.kind)],
    ['detail.channel', tx('channel.' + s.channel) + (s.site ? ` (${name(S.config.sites, s.site)})` : '')],
    ['detail.reporter', tx('reporter.' + s.reporter)], ['detail.category', categoryName(s.category)],
    ['detail.district', s.district ? name(S.config.districts, s.district) : tx('none')],
    ['detail.address', s.address || tx('none')], ['detail.description', s.description],
    ['detail.score', s.experience_score ?? tx('none')],
    ['detail.contact', s.contact ? [s.contact.name, s.contact.email, s.contact.phone, (s.contact.postal_address || '').replace(/\n/g, ', ')].filter(Boolean).join(' · ') || tx('none') : tx('none')],
    ['detail.language', s.contact ? languageName(s.contact.language) : tx('language.unknown')],
    ['detail.consent', s.consent_forward == null ? tx('form.consent.unknown') : tx(s.consent_forward ? 'form.consent.yes' : 'form.consent.no')],
    ['detail.assignee', s.assignee || tx('detail.assignee.none')],
  ];
  if (s.duplicate_of) rows.push(['detail.duplicate_of', s.duplicate_of]);
  if (s.proposed_answer) rows.push(['detail.proposed', s.proposed_answer]);
  if (s.outcome) rows.push(['detail.outcome', tx('outcome.' + s.outcome)]);
  if (s.forwarded_to) rows.push(['detail.forwarded', name(S.config.external_parties, s.forwarded_to)]);
  if (s.ombuds_referred_at) rows.push(['detail.ombuds', when(s.ombuds_referred_at)]);
  return h('dl', { class: 'facts', id: 'facts' }, rows.map(([k, v]) => [h('dt', {}, tx(k)),
    h('dd', { class: k === 'detail.due' && s.overdue ? 'late' : null }, String(v))]));
}

function radioGroup(id, nameAttr, legend, options, value, error) {
  return h('div', { class: 'field' + (error ? ' field--error' : '') },
    h('fieldset', { class: 'fieldset', id, tabindex: '-1', 'aria-describedby': error ? id + '-error' : null },
      h('legend', { class: 'legend' }, legend),
      error ? h('p', { class: 'error-message', id: id + '-error' }, h('span', { class: 'visually-hidden' }, tx('error.prefix') + ' '), error) : null,
      h('div', { class: 'radios' }, options.map((o, i) => h('div', { class: 'radio' },
        h('input', { type: 'radio', id: `${id}-${i}`, name: nameAttr, value: o.value, checked: String(o.value) === String(value) }),
        h('label', { for: `${id}-${i}`, class: 'radio__label' }, h('span', { class: 'radio__text' }, o.label)))))));
}

function detailSection() {
  const s = S.selected;
  if (!s) return h('section', { class: 'detail', 'aria-labelledby': 'h-detail' }, h('h2', { id: 'h-detail' }, tx('form.title')), h('p', {}, tx('detail.none')));
  const err = (f) => { const e = S.errors.find((x) => x.field === f); return e ? e.message : null; };
  const route = s.route || '';
  const opt = (v, label) => ({ value: v, label });
  const form = h('form', { novalidate: true, class: 'bo-form', id: 'bo-form' },
    S.errors.length ? h('div', { class: 'error-summary', id: 'bo-errors', tabindex: '-1', 'aria-labelledby': 'bo-errors-title' },
      h('h3', { id: 'bo-errors-title', class: 'error-summary__title' }, tx('error.title')),
      h('ul', { class: 'error-summary__list' }, S.errors.map((e) => h('li', {}, h('a', { href: '#' + (FIELD_IDS[e.field] || 'bo-form') }, `${tx('field.' + e.field)}: ${e.message}`))))) : null,
    select({ id: 'bo-status', label: tx('form.status'), error: err('status'), value: '',
      options: [opt('', tx('form.status.keep', { status: tx('status.' + s.status) })), ...NEXT[s.status].map((n) => opt(n, tx('status.' + n)))] }),
    radioGroup('bo-route', 'route', tx('form.route'), [...(route ? [] : [opt('', tx('form.route.none'))]), ...ROUTES.map((r) => opt(r, tx('route.' + r)))], route, err('route')),
    suggestion(s),
    h('div', { id: 'bo-route-opunt', hidden: route !== 'opunt' },
      // Prefilled with the category's department (a suggestion); stored only when saved with route O-punt.
      select({ id: 'bo-department', label: tx('form.department'), error: err('department'),
        value: s.route === 'opunt' ? s.department || '' : s.route ? '' : s.suggested_department || '',
        hint: !s.route && s.suggested_department ? tx('form.department.suggested') : null,
        options: [opt('', tx('form.choose')), ...S.staffConfig.departments.map((d) => opt(d.key, localName(d.name)))] })),
    h('div', { id: 'bo-route-special_procedure', hidden: route !== 'special_procedure' },
      select({ id: 'bo-procedure', label: tx('form.procedure'), hint: tx('form.procedure.hint'), error: err('special_procedure'), value: s.special_procedure || '',
        options: [opt('', tx('form.choose')), ...S.staffConfig.special_procedures.map((p) => opt(p.key, `${localName(p.name)} (${name(S.staffConfig.departments, p.department)})`))] })),
    h('div', { id: 'bo-route-external', hidden: route !== 'external' },
      select({ id: 'bo-party', label: tx('form.party'), error: err('external_party'), value: s.external_party || '',
        options: [opt('', tx('form.choose')), ...S.config.external_parties.map((p) => opt(p.key, localName(p.name)))] }),
      radioGroup('bo-consent', 'consent', tx('form.consent'), [opt('true', tx('form.consent.yes')), opt('false', tx('form.consent.no')), opt('', tx('form.consent.unknown'))],
        s.consent_forward == null ? '' : String(s.consent_forward), err('consent_forward')),
      h('p', { class: 'hint' }, tx('form.answer.hint_external'))),
    radioGroup('bo-nature', 'nature', tx('form.nature'), [...NATURES.map((n) => opt(n, tx('nature.' + n))), opt('', tx('form.nature.none'))], s.nature || '', err('nature')),
    s.kind === 'complaint' ? select({ id: 'bo-outcome', label: tx('form.outcome'), hint: tx('form.outcome.hint'), error: err('outcome'), value: s.outcome || '',
      options: [opt('', tx('form.outcome.none')), ...OUTCOMES.map((o) => opt(o, tx('outcome.' + o)))] }) : null,
    h('div', { class: 'field' + (err('answer') ? ' field--error' : '') },
      h('label', { for: 'bo-answer', class: 'label' }, tx('form.answer')),
      err('answer') ? h('p', { class: 'error-message', id: 'bo-answer-error' }, err('answer')) : null,
      h('textarea', { id: 'bo-answer', name: 'answer', class: 'textarea', rows: 6, 'aria-describedby': err('answer') ? 'bo-answer-error' : null, value: s.answer || '' }),
      s.proposed_answer ? h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'use-proposal',
        onclick: () => { const a = document.getElementById('bo-answer'); a.value = s.proposed_answer; a.focus(); } }, tx('form.use_proposal')) : null),
    S.problem ? h('div', { class: 'problem', role: 'alert', id: 'bo-problem', tabindex: '-1' }, h('p', {}, S.problem)) : null,
    h('div', { class: 'ok-message', id: 'bo-message', role: 'status' }, S.message || ''),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary', 'data-action': 'save' }, tx('form.save'))));
  form.querySelector('#bo-answer').value = s.answer || '';
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'route') return;
    for (const r of ROUTES) form.querySelector('#bo-route-' + r).hidden = e.target.value !== r;
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(form); });

  const ombuds = h('section', { 'aria-labelledby': 'h-ombuds' }, h('h3', { id: 'h-ombuds' }, tx('ombuds.title')),
    s.ombuds_referred_at && S.referral ? referralDetails() : null,
    s.ombuds_referred_at && !S.referral ? h('p', {}, `${tx('detail.ombuds')}: ${when(s.ombuds_referred_at)}`) : null,
    s.ombuds_referred_at ? null : h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'ombuds', onclick: refer }, tx('ombuds.button')));

  const history = h('section', { class: 'history-section', 'aria-labelledby': 'h-history' }, h('h3', { id: 'h-history' }, tx('history.title')),
    S.history.length ? h('ol', { class: 'history', id: 'history' }, S.history.map((c) => h('li', { class: c.field === 'note' ? 'history__note' : null },
      h('span', { class: 'history__when' }, `${when(c.at)} · ${tx('history.by', { who: c.who })}`),
      h('span', { class: 'history__value' }, historyText(c)))))
      : h('p', {}, tx('history.empty')));

  const closed = s.status === 'closed';
  const work = closed
    ? [closedView(s)]
    : [assignForm(s), h('h3', {}, tx('form.title')), form, mergeForm(s)];
  return h('section', { class: 'detail', 'aria-labelledby': 'h-detail' },
    h('h2', { id: 'h-detail', tabindex: '-1' }, tx('detail.title', { reference: s.reference })),
    S.problem && closed ? h('div', { class: 'problem', role: 'alert', id: 'bo-problem', tabindex: '-1' }, h('p', {}, S.problem)) : null,
    h('div', { class: 'detail__grid' },
      h('div', {}, facts(s), mapBlock(s), photosSection(s), ...work, letterAction(s), ombuds,
        messagesSection(S.messages, { timeZone: S.config.time_zone, onRetry: retry, problem: S.messagesProblem })),
      h('aside', { 'aria-label': tx('history.title') }, noteForm(), history)));
}

/** The department the config suggests for the category, until the signal is routed. */
function suggestion(s) {
  if (s.route || !s.suggested_department) return null;
  return h('p', { class: 'inset', id: 'bo-suggestion' }, tx('form.suggestion', { department: name(S.staffConfig.departments, s.suggested_department) }));
}

function assignForm(s) {
  const form = h('form', { class: 'inline-form', id: 'assign-form', 'aria-labelledby': 'h-assign' },
    h('h3', { id: 'h-assign' }, tx('assign.title')),
    h('div', { class: 'inline-form__row' },
      h('div', { class: 'field' }, h('label', { for: 'bo-assignee', class: 'label' }, tx('assign.label')),
        h('input', { id: 'bo-assignee', type: 'text', class: 'input', maxlength: 100, autocomplete: 'off', value: s.assignee || '' })),
      h('button', { type: 'submit', class: 'button button--secondary button--small', 'data-action': 'assign' }, tx('assign.button')),
      s.assignee ? h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'unassign', onclick: () => side('PATCH', '', { assignee: null }, 'assign.cleared') }, tx('assign.clear')) : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.querySelector('#bo-assignee').value.trim();
    if (!v) { S.problem = tx('assign.missing'); return render('bo-assignee'); }
    side('PATCH', '', { assignee: v }, 'assign.done');
  });
  return form;
}

function noteForm() {
  const form = h('form', { class: 'note-form', id: 'note-form', 'aria-labelledby': 'h-note' },
    h('h3', { id: 'h-note' }, tx('note.title')),
    h('div', { class: 'field' }, h('label', { for: 'bo-note', class: 'label' }, tx('note.label')),
      h('p', { class: 'hint', id: 'bo-note-hint' }, tx('note.hint')),
      h('textarea', { id: 'bo-note', class: 'textarea', rows: 3, maxlength: 2000, 'aria-describedby': 'bo-note-hint' })),
    h('button', { type: 'submit', class: 'button button--secondary button--small', 'data-action': 'note' }, tx('note.button')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = form.querySelector('#bo-note').value.trim();
    if (!text) return;
    side('POST', '/notes', { text }, 'note.done');
  });
  return form;
}

function mergeForm(s) {
  const form = h('form', { class: 'inline-form', id: 'merge-form', 'aria-labelledby': 'h-merge' },
    h('h3', { id: 'h-merge' }, tx('merge.title')),
    h('p', { class: 'hint', id: 'bo-merge-hint' }, tx('merge.hint')),
    h('div', { class: 'inline-form__row' },
      h('div', { class: 'field' }, h('label', { for: 'bo-merge', class: 'label' }, tx('merge.label')),
        h('input', { id: 'bo-merge', type: 'text', class: 'input', maxlength: 40, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'bo-merge-hint' })),
      h('button', { type: 'submit', class: 'button button--secondary button--small', 'data-action': 'merge' }, tx('merge.button'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const into = form.querySelector('#bo-merge').value.trim();
    if (!into) return;
    side('POST', '/merge', { into }, 'merge.done');
  });
  return form;
}

/** A closed signal: read-only, with a reopen that asks why. */
function closedView(s) {
  const form = h('form', { class: 'inset', id: 'reopen-form', 'aria-labelledby': 'h-closed' },
    h('h3', { id: 'h-closed' }, tx('closed.title')),
    h('p', {}, s.duplicate_of ? tx('closed.duplicate', { reference: s.duplicate_of }) : tx('closed.text')),
    s.answer ? h('div', { class: 'readonly-answer' }, h('h4', {}, tx('form.answer')), h('p', { class: 'history__value' }, s.answer)) : null,
    h('div', { class: 'field' }, h('label', { for: 'bo-reopen-reason', class: 'label' }, tx('closed.reason')),
      h('textarea', { id: 'bo-reopen-reason', class: 'textarea', rows: 2, maxlength: 1000 })),
    h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'reopen' }, tx('closed.reopen')),
    h('div', { class: 'ok-message', id: 'bo-message', role: 'status' }, S.message || ''));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = form.querySelector('#bo-reopen-reason').value.trim();
    side('PATCH', '', reason ? { status: 'in_progress', reason } : { status: 'in_progress' }, 'closed.reopened');
  });
  return form;
}

function historyText(c) {
  if (c.field === 'created') return tx('field.created');
  if (c.field === 'note') return tx('history.note', { text: c.new_value });
  if (c.field === 'reason') return tx('history.reason', { text: c.new_value });
  if (c.field === 'hand_back') return tx('history.hand_back', { department: display('department', c.old_value), text: c.new_value });
  return tx('history.change', { field: tx('field.' + c.field), old: display(c.field, c.old_value), new: display(c.field, c.new_value) });
}

/** "Brief afdrukken" for a reporter who gets the answer on paper. */
function letterAction(s) {
  if (!needsLetter(s)) return null;
  return h('div', { class: 'inset', id: 'letter-action' }, h('p', {}, tx('letter.needed')),
    h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'open-letter', onclick: showLetter }, tx('letter.open')));
}

async function showLetter() {
  try {
    await openLetter(session(), S.config, S.selected, { onClose: () => render('letter-action') });
  } catch (e) {
    if (!S.session) return;
    S.problem = e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline');
    render('bo-problem');
  }
}

async function retry(m) {
  S.messagesProblem = null;
  try {
    await retryMessage(session(), m.id);
    S.message = tx('retry.done');
  } catch (e) {
    if (!S.session) return;
    S.messagesProblem = e instanceof ApiError && e.status === 409 ? tx('retry.conflict') : e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline');
  }
  S.messages = await loadMessages(session(), S.selected.reference).catch(() => S.messages);
  S.mail = await mailStatus(session());
  render(S.messagesProblem ? 'messages-problem' : 'h-messages');
}

function display(field, v) {
  if (v == null) return tx('none');
  if (field === 'status') return tx('status.' + v);
  if (field === 'route') return tx('route.' + v);
  if (field === 'nature') return tx('nature.' + v);
  if (field === 'department') return name(S.staffConfig.departments, v);
  if (field === 'special_procedure') return name(S.staffConfig.special_procedures, v);
  if (field === 'external_party' || field === 'forwarded_to') return name(S.config.external_parties, v);
  if (field === 'consent_forward') return tx(v === 'true' ? 'form.consent.yes' : 'form.consent.no');
  if (field.endsWith('_at')) return when(v);
  return v;
}

function referralDetails() {
  const o = S.referral.ombudsman;
  return h('div', { class: 'inset', id: 'ombuds-details' },
    h('p', {}, tx('ombuds.done', { date: when(S.referral.ombuds_referred_at) })),
    h('ul', { class: 'contact__list' }, [localName(o.name), o.phone, o.email, o.url, o.address].filter(Boolean).map((x) => h('li', {}, x))));
}

// -- actions -------------------------------------------------------------------------
function session() { return { token: S.session.token, onSignOut: signOut }; }

function signOut() {
  forgetToken();
  Object.assign(S, { session: null, selected: null, items: [], history: [], errors: [], problem: null, message: null, chosen: new Set(), photos: null, photoView: null });
  render();
}

async function onSignedIn(sess) {
  S.session = sess;
  try {
    S.staffConfig = await api(session(), 'GET', '/api/v1/backoffice/config');
    S.mail = await mailStatus(session());
  } catch {
    S.session = null;
    signInView(root, { title: tx('signin.title'), onSignedIn, error: tx('error.offline') });
    return;
  }
  await loadQueue(false);
}

async function loadQueue(more) {
  const q = new URLSearchParams({ limit: '50' });
  for (const [k, v] of Object.entries(S.filters)) if (v) q.set(k, v);
  if (more && S.cursor) q.set('cursor', S.cursor);
  try {
    const page = await api(session(), 'GET', '/api/v1/signals?' + q.toString());
    S.items = more ? [...S.items, ...page.items] : page.items;
    S.cursor = page.next_cursor;
  } catch (e) {
    if (!S.session) return;
    S.items = [];
    S.cursor = null;
  }
  render(more ? null : 'queue');
}

async function open(reference, keepMessage) {
  try {
    const [s, hist, messages, photos] = await Promise.all([
      api(session(), 'GET', '/api/v1/signals/' + encodeURIComponent(reference)),
      api(session(), 'GET', `/api/v1/signals/${encodeURIComponent(reference)}/history`),
      loadMessages(session(), reference),
      loadPhotos(reference),
    ]);
    S.photos = photos;
    S.photoView = null;
    closeLetter();
    S.messages = messages;
    S.messagesProblem = null;
    if (!S.selected || S.selected.reference !== reference) S.referral = null;
    S.selected = s;
    S.history = hist.items;
    S.errors = [];
    S.problem = null;
    if (!keepMessage) S.message = null;
  } catch (e) {
    if (!S.session) return;
    S.problem = e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline');
  }
  render(keepMessage ? 'bo-message' : 'h-detail');
}

function collect(form) {
  const s = S.selected;
  const body = {};
  const v = (id) => form.querySelector('#' + id).value;
  const checked = (n) => { const el = form.querySelector(`input[name="${n}"]:checked`); return el ? el.value : null; };
  if (v('bo-status')) body.status = v('bo-status');
  const route = checked('route') || '';
  if (route === 'opunt' && (route !== s.route || v('bo-department') !== (s.department || ''))) {
    body.route = route;
    if (v('bo-department')) body.department = v('bo-department');
  }
  if (route === 'special_procedure' && (route !== s.route || v('bo-procedure') !== (s.special_procedure || ''))) {
    body.route = route;
    if (v('bo-procedure')) body.special_procedure = v('bo-procedure');
  }
  if (route === 'external') {
    const consent = checked('consent');
    const consentValue = consent === '' || consent == null ? null : consent === 'true';
    if (route !== s.route || v('bo-party') !== (s.external_party || '') || (consentValue != null && consentValue !== s.consent_forward)) {
      body.route = route;
      if (v('bo-party')) body.external_party = v('bo-party');
      if (consentValue != null) body.consent_forward = consentValue;
    }
  }
  const nature = checked('nature') || '';
  if (nature !== (s.nature || '')) body.nature = nature || null;
  if (s.kind === 'complaint') {
    const outcome = v('bo-outcome');
    if (outcome && outcome !== (s.outcome || '')) body.outcome = outcome;
  }
  const answer = v('bo-answer').trim();
  if (answer && answer !== (s.answer || '')) body.answer = answer;
  return body;
}

async function save(form) {
  const body = collect(form);
  S.errors = [];
  S.problem = null;
  S.message = null;
  if (!Object.keys(body).length) {
    S.message = tx('form.nothing');
    return render('bo-message');
  }
  // The answer goes out when the signal becomes answered: first shown as the reporter will get it,
  // and how it reaches them.
  if (body.status === 'answered') {
    const answer = body.answer || S.selected.answer || '';
    let p;
    try {
      p = await answerPreview(session(), S.selected, answer);
    } catch (e) {
      if (!S.session) return;
      if (e instanceof ApiError && e.status === 422) { S.errors = e.fieldErrors; return render('bo-errors'); }
      S.problem = e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline');
      return render('bo-problem');
    }
    const old = document.getElementById('bo-preview');
    const box = previewBox(p, S.selected, {
      onConfirm: () => { box.remove(); send(body); },
      onCancel: () => { box.remove(); form.querySelector('[data-action="save"]').hidden = false; form.querySelector('#bo-answer').focus(); },
    });
    if (old) old.replaceWith(box); else form.after(box);
    form.querySelector('[data-action="save"]').hidden = true;
    box.focus();
    return;
  }
  return send(body);
}

async function send(body) {
  try {
    await api(session(), 'PATCH', '/api/v1/signals/' + encodeURIComponent(S.selected.reference), body);
    S.message = tx('form.saved');
    await open(S.selected.reference, true);
    const i = S.items.findIndex((x) => x.reference === S.selected.reference);
    if (i >= 0) S.items[i] = S.selected;
    render('bo-message');
  } catch (e) {
    if (!S.session) return;
    if (e instanceof ApiError && e.status === 422) {
      S.errors = e.fieldErrors;
      render('bo-errors');
    } else {
      S.problem = e instanceof ApiError ? tx('form.conflict', { detail: e.problem.detail || e.message }) : tx('error.offline');
      render('bo-problem');
    }
  }
}

/** A work-queue action on the open signal (assign, note, merge, reopen): the service's word on a refusal. */
async function side(method, suffix, body, done) {
  S.problem = null;
  S.message = null;
  try {
    await api(session(), method, `/api/v1/signals/${encodeURIComponent(S.selected.reference)}${suffix}`, body);
    S.message = tx(done);
    await open(S.selected.reference, true);
    const i = S.items.findIndex((x) => x.reference === S.selected.reference);
    if (i >= 0) S.items[i] = S.selected;
    render(S.selected.status === 'closed' ? 'h-closed' : 'bo-message');
  } catch (e) {
    if (!S.session) return;
    S.problem = e instanceof ApiError ? tx('form.conflict', { detail: problemText(e) }) : tx('error.offline');
    render('bo-problem');
  }
}

function problemText(e) {
  const errors = e.fieldErrors || [];
  return errors.length ? errors.map((x) => `${tx('field.' + x.field)}: ${x.message}`).join('; ') : e.problem.detail || e.message;
}

/** One change for every selected signal, all or nothing (POST /api/v1/signals/bulk). */
async function bulk(change) {
  S.bulkProblem = null;
  S.bulkMessage = null;
  const references = [...S.chosen];
  try {
    const result = await api(session(), 'POST', '/api/v1/signals/bulk', { references, change });
    for (const s of result.items) {
      const i = S.items.findIndex((x) => x.reference === s.reference);
      if (i >= 0) S.items[i] = s;
      if (S.selected && S.selected.reference === s.reference) S.selected = s;
    }
    S.chosen.clear();
    S.bulkMessage = tx('bulk.done', { count: result.items.length });
    render('bulk-message');
  } catch (e) {
    if (!S.session) return;
    S.bulkProblem = e instanceof ApiError ? tx('bulk.refused', { detail: problemText(e) }) : tx('error.offline');
    render('bulk-problem');
  }
}

/** Keyboard shortcuts (listed on the page); not while typing in a field. */
function onKey(e) {
  if (!S.session || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) {
    if (e.key === 'Escape') t.blur();
    return;
  }
  const focus = (id) => { const el = document.getElementById(id); if (el) { e.preventDefault(); el.focus(); el.scrollIntoView({ block: 'center' }); } };
  const at = S.selected ? S.items.findIndex((x) => x.reference === S.selected.reference) : -1;
  switch (e.key) {
    case 'j': if (S.items.length) { e.preventDefault(); open(S.items[Math.min(at + 1, S.items.length - 1)].reference); } break;
    case 'k': if (S.items.length) { e.preventDefault(); open(S.items[Math.max(at - 1, 0)].reference); } break;
    case '/': focus('q-q'); break;
    case 'a': focus('bo-assignee'); break;
    case 'n': focus('bo-note'); break;
    case 'm': focus('bo-merge'); break;
    case 'b': focus('bo-answer'); break;
    case 'x':
      if (S.selected) {
        e.preventDefault();
        if (S.chosen.has(S.selected.reference)) S.chosen.delete(S.selected.reference); else S.chosen.add(S.selected.reference);
        render('h-detail');
      }
      break;
    default:
  }
}

async function refer() {
  try {
    S.referral = await api(session(), 'POST', `/api/v1/signals/${encodeURIComponent(S.selected.reference)}/ombuds-referral`);
    await open(S.selected.reference, true);
  } catch (e) {
    if (!S.session) return;
    S.problem = e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline');
    render('bo-problem');
  }
}

startPage(root, TEXTS, {
  setup: (config) => { S.config = config; document.addEventListener('keydown', onKey); },
  onSignedIn, render: () => render(),
});
