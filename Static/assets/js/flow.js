// The citizen's form, one question per screen, shared by the website (/) and the kiosk (/kiosk).
import { h, errorSummary, textField, radios, checkedValue, formatTime } from './dom.js';
import { t, localName, getLanguage, setLanguage } from './i18n.js';
import { validate, signalBody, normaliseField, externalParty } from './validate.js';
import { createWithRetry, ApiError, uuid } from './api.js';
import { addressSuggester, signalFields, nearbySignals } from './places.js';

const STORE_KEY = 'opunt.form';
const KINDS = ['report', 'complaint', 'suggestion', 'compliment'];
const OPTIONAL = new Set(['location', 'nearby', 'photos', 'experience', 'contact']);

/** Which of our fields each screen asks, and the element an error links to. */
const SCREEN_FIELDS = {
  kind: ['kind'], category: ['category'], quick: ['category'], subcategory: ['subcategory'], description: ['description'],
  location: ['address', 'district'], nearby: ['same_as'], photos: ['photos_public'], experience: ['experience_score'],
  contact: ['contact.name', 'contact.email', 'contact.phone'], consent: ['consent_forward'],
};
const FIELD_IDS = {
  kind: 'f-kind', category: 'f-category', subcategory: 'f-sub', description: 'f-description', address: 'f-address',
  district: 'f-district', experience_score: 'f-score', 'contact.name': 'f-name', 'contact.email': 'f-email',
  'contact.phone': 'f-phone', consent_forward: 'f-consent', same_as: 'f-same', photos_public: 'f-photos',
};

export function emptyAnswers() {
  return {
    kind: null, main: null, sub: null, description: '', address: '', district: null, experience_score: null,
    contact: { name: '', email: '', phone: '', language: '' }, consent_forward: null,
    // The place as a point: from a chosen address suggestion (place 'address', placeAddress its text) or a pin ('pin').
    lat: null, lon: null, place: null, placeAddress: null, same_as: null, photos_public: false,
  };
}

function freshState() {
  return { answers: emptyAnswers(), visited: [], fromCheck: false, pending: null, receipt: null, serverErrors: {}, fast: false, nearby: [] };
}

/** The first words of a text, to at most n characters, for the receipt. */
function shorten(text, n = 120) {
  const s = text.trim().replace(/\s+/g, ' ');
  if (s.length <= n) return s;
  const cut = s.slice(0, n - 1);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), n / 2)).replace(/[\s,.;:]+$/, '') + '…';
}

/** A reference with its groups in spans, so print and screen can space them apart. */
function referenceGroups(ref) {
  return String(ref).split('-').flatMap((g, i) => (i ? ['-', h('span', { class: 'ref__group' }, g)] : [h('span', { class: 'ref__group' }, g)]));
}

export class CitizenForm {
  /**
   * root: the <main> element; config: GET /api/v1/config; kiosk: true on the counter kiosk;
   * token: the kiosk's bearer token (null on the website); extraScreens: name -> () => {title, node};
   * onScreen: called with the screen name after each render.
   */
  constructor({ root, config, kiosk = false, token = null, extraScreens = {}, onScreen = () => {}, web = null }) {
    // web: the website's own place and photo tools (webplace.js); the kiosk has none and does not load them.
    Object.assign(this, { root, config, kiosk, token, extraScreens, onScreen, web });
    this.photos = []; // File objects the citizen chose; they cannot be kept in sessionStorage
    this.suggester = addressSuggester((items) => this.showSuggestions(items));
    this.state = freshState();
    this.errors = [];
    this.generation = 0;
    this.sending = false;
    this.screen = 'start';
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null');
      if (saved && saved.answers) this.state = { ...freshState(), ...saved };
    } catch { /* a broken saved state is dropped */ }
    window.addEventListener('hashchange', () => this.route());
  }

  // -- state -------------------------------------------------------------------
  get a() { return this.state.answers; }

  save() {
    const st = this.state;
    const empty = JSON.stringify(st.answers) === JSON.stringify(emptyAnswers()) && !st.receipt && !st.pending && getLanguage() === 'nl';
    try {
      if (empty) sessionStorage.removeItem(STORE_KEY); // nothing of a citizen: leave no trace
      else sessionStorage.setItem(STORE_KEY, JSON.stringify({ ...st, lang: getLanguage() }));
    } catch { /* storage full or off */ }
  }

  savedLanguage() {
    try { return (JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null') || {}).lang || null; } catch { return null; }
  }

  category(key = this.a.main) { return this.config.categories.find((c) => c.key === key) || null; }

  /** The outside body this matter may belong to, its name in the current language; or null. */
  party(main = this.a.main, sub = this.a.sub) {
    const p = externalParty(this.config, main, sub);
    return p ? { ...p, name: localName(p.name) } : null;
  }

  /** The screens this citizen goes through, given the answers so far. */
  sequence() {
    // The fast path for a simple report: what (one list of topics), where, what you see; then it is sent.
    const near = this.state.nearby && this.state.nearby.length ? ['nearby'] : [];
    if (this.state.fast) return ['quick', 'location', ...near, 'description'];
    const cat = this.category();
    const s = ['kind', 'category'];
    if (cat && cat.subcategories && cat.subcategories.length) s.push('subcategory');
    s.push('description', 'location', ...near);
    if (this.web) s.push('photos');
    // The impact question is about a problem: asked for a report or a complaint only.
    if (this.a.kind === 'report' || this.a.kind === 'complaint') s.push('experience');
    s.push('contact');
    if (this.party()) s.push('consent');
    s.push('check');
    return s;
  }

  complete(screen) {
    const a = this.a;
    switch (screen) {
      case 'kind': return Boolean(a.kind);
      case 'category': return Boolean(a.main);
      case 'quick': return Boolean(a.main) && a.sub != null;
      case 'subcategory': return a.sub != null;
      case 'description': return a.description.trim() !== '';
      case 'consent': return a.consent_forward != null;
      case 'check': return false;
      default: return OPTIONAL.has(screen) ? this.state.visited.includes(screen) : true;
    }
  }

  firstIncomplete() { return this.sequence().find((s) => !this.complete(s)); }

  /** True when nothing of a citizen is on screen or in memory. */
  isPristine() {
    return this.screen === 'start' && getLanguage() === 'nl' && JSON.stringify(this.a) === JSON.stringify(emptyAnswers()) && !this.state.receipt;
  }

  /** Forgets every answer (memory, storage, printable receipt) without changing the screen. */
  forget() {
    this.generation++;
    this.sending = false;
    this.state = freshState();
    this.errors = [];
    this.photos = [];
    this.suggester.cancel();
    try { sessionStorage.removeItem(STORE_KEY); } catch { /* ignore */ }
    const receipt = document.getElementById('receipt');
    if (receipt) receipt.replaceChildren();
  }

  /** Forgets every answer and shows the start screen in Dutch. */
  async reset() {
    this.forget();
    this.root.replaceChildren();
    await setLanguage('nl');
    if (location.hash && location.hash !== '#start') history.replaceState(null, '', location.pathname + location.search + '#start');
    this.show('start', { focus: false });
  }

  /** The answers so far, signal-shaped, for a draft at the desk. */
  draftAnswers() {
    this.collect();
    const a = this.a;
    const out = {};
    if (a.kind) out.kind = a.kind;
    if (a.main) out.category = a.sub ? `${a.main}/${a.sub}` : a.main;
    for (const k of ['description', 'address']) if (a[k].trim()) out[k] = a[k].trim();
    if (a.district) out.district = a.district;
    if (a.experience_score) out.experience_score = Number(a.experience_score);
    const c = {};
    for (const k of ['name', 'email', 'phone']) if (a.contact[k].trim()) c[k] = a.contact[k].trim();
    if (Object.keys(c).length) out.contact = { ...c, language: getLanguage() };
    if (a.consent_forward != null) out.consent_forward = a.consent_forward;
    return out;
  }

  // -- navigation ----------------------------------------------------------------
  go(name) {
    if (location.hash === '#' + name) this.show(name);
    else location.hash = name;
  }

  route() { this.show(decodeURIComponent(location.hash.slice(1)) || 'start'); }

  show(name, { focus = true } = {}) {
    if (this.extraScreens[name]) {
      this.screen = name;
      return this.paint(name, this.extraScreens[name](), focus);
    }
    if (name === 'done' && !this.state.receipt) name = 'start';
    if (name !== 'start' && name !== 'done') {
      this.state.receipt = null;
      const seq = this.sequence();
      if (!seq.includes(name)) name = this.firstIncomplete() || seq[seq.length - 1];
      const missing = seq.slice(0, seq.indexOf(name)).find((s) => !this.complete(s));
      if (missing) name = missing;
      if (location.hash.slice(1) !== name) history.replaceState(null, '', location.pathname + location.search + '#' + name);
    }
    if (name !== this.screen) this.errors = [];
    this.screen = name;
    this.save();
    this.render(focus);
  }

  rerender() { this.collect(); this.render(false); }

  render(focus = true) {
    const name = this.screen;
    if (this.extraScreens[name]) return this.paint(name, this.extraScreens[name](), focus);
    const fn = this['screen_' + name];
    this.paint(name, fn.call(this), focus);
  }

  paint(name, { title, node }, focus) {
    const hasErrors = this.errors.length > 0 || Boolean(this.root.querySelector('.error-summary'));
    this.root.replaceChildren(node);
    const summary = this.root.querySelector('.error-summary');
    document.title = `${summary ? t('error.prefix') + ' ' : ''}${title} — ${t('app.name')}`;
    if (summary) summary.focus();
    else if (focus) {
      const heading = this.root.querySelector('h1');
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    }
    this.root.scrollTop = 0;
    if (!summary && focus) window.scrollTo(0, 0);
    this.onScreen(name, hasErrors);
  }

  // -- pieces ---------------------------------------------------------------------
  backLink(name) {
    const seq = this.sequence();
    const i = seq.indexOf(name);
    const prev = i > 0 ? seq[i - 1] : 'start';
    return h('a', { href: '#' + prev, class: 'back-link', 'data-action': 'back' }, t('nav.back'));
  }

  /** Client errors plus the service's errors for this screen's fields: [{field, target, message}]. */
  screenErrors(name) {
    const out = this.errors.map((e) => ({ field: e.field, target: FIELD_IDS[e.field], message: t(e.key) }));
    for (const f of SCREEN_FIELDS[name] || []) {
      const key = this.state.serverErrors[f];
      if (key && !out.some((e) => e.field === f)) out.push({ field: f, target: FIELD_IDS[f], message: t(key) });
    }
    return out;
  }

  errorFor(errors, field) { const e = errors.find((x) => x.field === field); return e ? e.message : null; }

  questionScreen(name, title, fields, { button = t('nav.continue'), intro = null } = {}) {
    const errors = this.screenErrors(name);
    const seq = this.sequence();
    const sends = this.state.fast && seq[seq.length - 1] === name; // the fast path sends from its last question
    const primary = sends
      ? h('button', { type: 'submit', class: 'button button--primary', id: 'submit-button', 'data-action': 'submit' }, t('quick.send'))
      : h('button', { type: 'submit', class: 'button button--primary', 'data-action': 'continue' }, button);
    const form = h('form', { class: 'question', novalidate: true, id: 'form-' + name, 'data-screen': name,
      onsubmit: (ev) => { ev.preventDefault(); this.submitter = ev.submitter || null; this.next(name); } },
    intro, fields(errors),
    sends ? [h('div', { id: 'submit-problem' }), h('div', { class: 'status', id: 'submit-status', role: 'status', 'aria-live': 'polite' })] : null,
    // On the kiosk, back sits beside the main action in the lower half, where a hand reaches.
    h('div', { class: this.kiosk ? 'actions actions--nav' : 'actions' }, this.kiosk ? this.backLink(name) : null, primary));
    return { title, node: h('div', { class: 'screen', 'data-screen': name }, this.kiosk ? null : this.backLink(name), errorSummary(errors), form) };
  }

  contactBlock(c, { headingLevel = 'h3' } = {}) {
    const rows = [];
    const linkOrText = (href, text) => (this.kiosk ? h('span', { class: 'contact__value' }, text) : h('a', { href }, text));
    if (c.phone) rows.push(h('li', {}, h('span', { class: 'contact__label' }, t('contact.phone') + ': '), linkOrText('tel:' + c.phone.replace(/\s/g, ''), c.phone)));
    if (c.email) rows.push(h('li', {}, h('span', { class: 'contact__label' }, t('contact.email') + ': '), linkOrText('mailto:' + c.email, c.email)));
    if (c.url) rows.push(h('li', {}, h('span', { class: 'contact__label' }, t('contact.website') + ': '), linkOrText(c.url, c.url.replace(/^https?:\/\//, ''))));
    if (c.address) rows.push(h('li', {}, h('span', { class: 'contact__label' }, t('contact.address') + ': '), c.address));
    return h('div', { class: 'contact' }, h(headingLevel, { class: 'contact__name' }, localName(c.name)), h('ul', { class: 'contact__list' }, rows));
  }

  // -- screens ----------------------------------------------------------------------
  /** Starts the full form, or (fast) the three-question path for a simple report. */
  begin(fast) {
    this.state.fast = fast;
    if (fast) this.a.kind = 'report';
    this.save();
    this.go(fast ? 'quick' : 'kind');
  }

  screen_start() {
    const full = h('button', { type: 'button', class: 'button button--primary button--start', 'data-action': 'start', onclick: () => this.begin(false) }, t('start.button'));
    const node = this.kiosk
      ? h('div', { class: 'screen screen--start', 'data-screen': 'start' },
        h('h1', { class: 'page-heading' }, t('start.title')),
        h('p', { class: 'lead' }, t('start.intro')),
        h('p', { class: 'notice' }, t('start.emergency')),
        h('p', {}, t('start.time.kiosk')),
        h('div', { class: 'actions actions--start' },
          h('section', { class: 'path', 'aria-labelledby': 'path-fast' }, h('h2', { id: 'path-fast' }, t('start.fast.title')), h('p', {}, t('start.fast.text')),
            h('button', { type: 'button', class: 'button button--primary button--start', 'data-action': 'fast', onclick: () => this.begin(true) }, t('start.fast.button'))),
          h('section', { class: 'path', 'aria-labelledby': 'path-full' }, h('h2', { id: 'path-full' }, t('start.full.title')), h('p', {}, t('start.full.text')), full)))
      : h('div', { class: 'screen screen--start', 'data-screen': 'start' },
        h('h1', { class: 'page-heading' }, t('start.title')),
        h('p', { class: 'lead' }, t('start.intro')),
        h('ul', { class: 'kind-list' }, KINDS.map((k) => h('li', {}, h('strong', {}, t(`kind.${k}.label`)), ': ', t(`kind.${k}.hint`)))),
        h('p', {}, t('start.time')),
        h('p', { class: 'notice' }, t('start.emergency')),
        h('div', { class: 'actions' }, full));
    return { title: t('start.title'), node };
  }

  /** The fast path's one list of topics: every subcategory the city handles itself (an outside body's needs the full form's consent question). */
  screen_quick() {
    const options = [];
    for (const c of this.config.categories) {
      const subs = c.subcategories && c.subcategories.length ? c.subcategories : [null];
      for (const s of subs) {
        if (externalParty(this.config, c.key, s ? s.key : null)) continue;
        options.push({ value: s ? `${c.key}/${s.key}` : c.key, label: localName(s ? s.name : c.name), hint: s ? localName(c.name) : null });
      }
    }
    const value = this.a.main ? (this.a.sub ? `${this.a.main}/${this.a.sub}` : this.a.main) : null;
    return this.questionScreen('quick', t('quick.question'), (errors) => radios({
      id: 'f-category', name: 'quick', legend: t('quick.question'), hint: t('quick.hint'), heading: true, tiles: true, columns: true,
      error: this.errorFor(errors, 'category'), value, options,
    }));
  }

  screen_kind() {
    return this.questionScreen('kind', t('kind.question'), (errors) => radios({
      id: 'f-kind', name: 'kind', legend: t('kind.question'), heading: true, tiles: true, error: this.errorFor(errors, 'kind'),
      value: this.a.kind, options: KINDS.map((k) => ({ value: k, label: t(`kind.${k}.label`), hint: t(`kind.${k}.hint`) })),
    }));
  }

  screen_category() {
    return this.questionScreen('category', t('category.question'), (errors) => radios({
      id: 'f-category', name: 'category', legend: t('category.question'), hint: t('category.hint'), heading: true, tiles: true, columns: true,
      error: this.errorFor(errors, 'category'), value: this.a.main,
      options: this.config.categories.map((c) => ({ value: c.key, label: localName(c.name) })),
    }));
  }

  screen_subcategory() {
    const cat = this.category();
    const title = t('subcategory.question', { category: localName(cat.name) });
    return this.questionScreen('subcategory', title, (errors) => radios({
      id: 'f-sub', name: 'sub', legend: title, heading: true, tiles: true, columns: true,
      error: this.errorFor(errors, 'subcategory') || this.errorFor(errors, 'category'), value: this.a.sub,
      options: [...cat.subcategories.map((s) => ({ value: s.key, label: localName(s.name) })), { value: '', label: t('subcategory.other') }],
    }));
  }

  screen_description() {
    return this.questionScreen('description', t('description.question'), (errors) => textField({
      id: 'f-description', label: t('description.question'), hint: t(`description.hint.${this.a.kind || 'report'}`), heading: true, multiline: true,
      error: this.errorFor(errors, 'description'), value: this.a.description, autocomplete: 'off', spellcheck: 'true', required: true,
    }));
  }

  screen_location() {
    const title = t('location.question');
    const a = this.a;
    const point = a.lat != null && a.lon != null;
    const district = this.config.districts.find((d) => d.key === a.district);
    const screen = this.questionScreen('location', title, (errors) => [
      h('h1', { class: 'page-heading' }, title),
      h('p', { class: 'hint' }, t('location.hint')),
      textField({ id: 'f-address', label: t('location.address'), hint: t('location.address.hint'), value: a.address,
        error: this.errorFor(errors, 'address'), autocomplete: 'off', width: 'wide', spellcheck: 'false' }),
      h('p', { class: 'visually-hidden', id: 'suggestions-status', role: 'status', 'aria-live': 'polite' }),
      h('ul', { class: 'suggestions', id: 'address-suggestions', hidden: true }),
      point ? h('div', { class: 'place-chosen', id: 'place-chosen', tabindex: '-1' },
        h('h2', { class: 'place-chosen__title' }, t('location.chosen')),
        h('p', { id: 'place-chosen-text' }, a.place === 'pin' ? t('location.pin', { lat: a.lat.toFixed(5), lon: a.lon.toFixed(5) }) : a.address,
          district ? ` — ${localName(district.name)}` : ''),
        h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'clear-place', onclick: () => this.clearPlace() }, t('location.change'))) : null,
      this.web ? this.web.placeBlock(this) : null,
      // A point places the signal in its district: the tiles are the way without one.
      point ? null : radios({ id: 'f-district', name: 'district', legend: t('location.district'), hint: t('location.district.hint'), tiles: true, columns: true,
        error: this.errorFor(errors, 'district'), value: a.district,
        options: [...this.config.districts.map((d) => ({ value: d.key, label: localName(d.name) })), { value: '', label: t('location.district.unknown') }] }),
    ]);
    const input = screen.node.querySelector('#f-address');
    input.setAttribute('aria-controls', 'address-suggestions');
    input.addEventListener('input', () => this.suggester.suggest(input.value));
    // Escape closes the list (and drops an answer still on its way).
    input.addEventListener('keydown', (e) => { if (e.key === 'Escape') { this.suggester.cancel(); this.showSuggestions([]); } });
    return screen;
  }

  /** The address suggestions under the address field, as buttons. */
  showSuggestions(items) {
    const list = this.root.querySelector('#address-suggestions');
    if (!list) return;
    list.replaceChildren(...items.map((it) => {
      const d = this.config.districts.find((x) => x.key === it.district);
      return h('li', {}, h('button', { type: 'button', class: 'suggestion', 'data-action': 'suggestion', onclick: () => this.choosePlace(it) },
        h('span', { class: 'suggestion__address' }, it.address), d ? h('span', { class: 'suggestion__district' }, localName(d.name)) : null));
    }));
    list.hidden = !items.length;
    const status = this.root.querySelector('#suggestions-status');
    if (status) status.textContent = items.length ? t('location.suggestions', { count: items.length }) : '';
  }

  /** A chosen suggestion fills address, lat, lon and district. */
  choosePlace(item) {
    this.collect();
    const f = signalFields(item);
    Object.assign(this.a, { address: f.address, lat: f.lat, lon: f.lon, district: f.district || null, place: 'address', placeAddress: f.address });
    delete this.state.serverErrors.address;
    this.suggester.cancel();
    this.save();
    this.render(false);
    const el = this.root.querySelector('#place-chosen');
    if (el) el.focus();
  }

  /** A pin (a click on the map, or the phone's position): the district comes from the service. */
  setPin(lat, lon) {
    this.collect();
    const round = (x) => Math.round(x * 1e6) / 1e6;
    Object.assign(this.a, { lat: round(lat), lon: round(lon), place: 'pin', placeAddress: null, district: null });
    delete this.state.serverErrors.address;
    this.save();
    this.render(false);
  }

  clearPlace() {
    this.collect();
    Object.assign(this.a, { lat: null, lon: null, place: null, placeAddress: null });
    this.state.nearby = [];
    this.a.same_as = null;
    this.save();
    this.render(false);
    const el = this.root.querySelector('#f-address');
    if (el) el.focus();
  }

  /** Open signals of the chosen category near the chosen point (none without a point). */
  async loadNearby() {
    const a = this.a;
    const category = a.main ? (a.sub ? `${a.main}/${a.sub}` : a.main) : null;
    let items = [];
    if (category && a.lat != null && a.lon != null) {
      try { items = await nearbySignals(category, a.lat, a.lon); } catch { items = []; }
    }
    this.state.nearby = items.slice(0, 5).map((i) => ({ reference: i.reference, description: i.description || '', distance_m: i.distance_m,
      received_on: i.received_on, same_count: i.same_count || 0 }));
    if (a.same_as && !this.state.nearby.some((i) => i.reference === a.same_as)) a.same_as = null;
  }

  screen_nearby() {
    const title = t('nearby.title');
    const day = (d) => {
      try { return new Intl.DateTimeFormat(getLanguage() + '-BE', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d + 'T12:00:00Z')); } catch { return d; }
    };
    return this.questionScreen('nearby', title, (errors) => [
      h('h1', { class: 'page-heading' }, title),
      h('p', { class: 'hint' }, t('nearby.intro')),
      this.errorFor(errors, 'same_as') ? h('p', { class: 'error-message' }, this.errorFor(errors, 'same_as')) : null,
      h('ul', { class: 'nearby', id: 'f-same' }, this.state.nearby.map((n) => {
        const chosen = this.a.same_as === n.reference;
        return h('li', { class: 'nearby__item' + (chosen ? ' nearby__item--chosen' : ''), 'data-reference': n.reference },
          h('p', { class: 'nearby__text' }, n.description || t('nearby.nodescription')),
          h('p', { class: 'hint' }, t('nearby.where', { distance: Math.round(n.distance_m), date: day(n.received_on) }),
            n.same_count ? ' · ' + t('nearby.count', { count: n.same_count }) : ''),
          h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'same', 'data-ref': n.reference, 'aria-pressed': String(chosen) },
            t('nearby.same'), h('span', { class: 'visually-hidden' }, ` (${n.reference})`)));
      })),
    ], { button: t('nearby.different') });
  }

  screen_photos() {
    return this.questionScreen('photos', t('photos.question'), (errors) => this.web.photoFields(this, this.errorFor(errors, 'photos_public')));
  }

  screen_experience() {
    const title = t('experience.question');
    return this.questionScreen('experience', title, (errors) => radios({
      id: 'f-score', name: 'score', legend: title, hint: t('experience.hint'), heading: true, tiles: true,
      error: this.errorFor(errors, 'experience_score'), value: this.a.experience_score == null ? null : String(this.a.experience_score),
      options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} — ${t('experience.' + n)}` })).concat([{ value: '0', label: t('experience.skip') }]),
    }));
  }

  screen_contact() {
    const title = t('contact.question');
    const auto = (v) => (this.kiosk ? 'off' : v); // a shared screen must not offer the previous citizen's details
    return this.questionScreen('contact', title, (errors) => [
      h('h1', { class: 'page-heading' }, title),
      h('p', { class: 'hint' }, t('contact.hint')),
      h('p', { class: 'hint' }, t('contact.use')),
      textField({ id: 'f-name', label: t('contact.name'), value: this.a.contact.name, autocomplete: auto('name'), width: 'wide',
        error: this.errorFor(errors, 'contact.name'), spellcheck: 'false' }),
      textField({ id: 'f-email', label: t('contact.email'), hint: t('contact.email.hint'), value: this.a.contact.email, type: 'email', inputmode: 'email',
        autocomplete: auto('email'), spellcheck: 'false', autocapitalize: 'none', width: 'wide', error: this.errorFor(errors, 'contact.email') }),
      textField({ id: 'f-phone', label: t('contact.phone'), hint: t('contact.phone.hint'), value: this.a.contact.phone, type: 'tel', inputmode: 'tel',
        autocomplete: auto('tel'), width: 'medium', error: this.errorFor(errors, 'contact.phone') }),
    ]);
  }

  screen_consent() {
    const party = this.party();
    const title = t('consent.question', { party: party.name });
    return this.questionScreen('consent', title, (errors) => [
      radios({ id: 'f-consent', name: 'consent', legend: title, hint: t('consent.hint', { party: party.name }), heading: true, tiles: true,
        error: this.errorFor(errors, 'consent_forward'), value: this.a.consent_forward == null ? null : String(this.a.consent_forward),
        options: [{ value: 'true', label: t('consent.yes', { party: party.name }) }, { value: 'false', label: t('consent.no') }] }),
      h('div', { class: 'inset' }, h('p', {}, t('consent.direct', { party: party.name })), this.contactBlock(party, { headingLevel: 'h2' })),
    ]);
  }

  /** The place as the citizen gave it: address and district, or ''. */
  placeText() {
    const a = this.a;
    const district = this.config.districts.find((d) => d.key === a.district);
    const pin = a.place === 'pin' && !a.address.trim() ? t('location.pin', { lat: a.lat.toFixed(5), lon: a.lon.toFixed(5) }) : '';
    return [a.address.trim(), pin, district ? localName(district.name) : ''].filter(Boolean).join(', ');
  }

  summaryRows() {
    const a = this.a;
    const seq = this.sequence();
    const cat = this.category();
    const sub = cat && a.sub ? cat.subcategories.find((s) => s.key === a.sub) : null;
    const none = t('check.empty');
    const contact = ['name', 'email', 'phone'].map((k) => a.contact[k].trim()).filter(Boolean);
    const rows = [
      ['kind', t('check.kind'), t(`kind.${a.kind}.label`)],
      ['category', t('check.category'), localName(cat && cat.name) + (sub ? ' — ' + localName(sub.name) : '')],
      ['description', t('check.description'), a.description.trim()],
      ['location', t('check.location'), this.placeText() || none],
    ];
    if (seq.includes('nearby')) rows.push(['nearby', t('check.same'), a.same_as ? t('check.same.value', { reference: a.same_as }) : t('nearby.different')]);
    if (seq.includes('photos')) rows.push(['photos', t('check.photos'), this.photos.length ? this.photos.map((f) => f.name) : none]);
    if (seq.includes('experience')) rows.push(['experience', t('check.experience'), a.experience_score > 0 ? `${a.experience_score} — ${t('experience.' + a.experience_score)}` : none]);
    rows.push(['contact', t('check.contact'), contact.length ? contact : t('check.contact.none')]);
    if (seq.includes('consent')) rows.push(['consent', t('check.consent', { party: this.party().name }), a.consent_forward ? t('answer.yes') : t('answer.no')]);
    return rows;
  }

  screen_check() {
    const title = t('check.title');
    const server = Object.entries(this.state.serverErrors).map(([field, key]) => {
      const screen = Object.keys(SCREEN_FIELDS).find((s) => SCREEN_FIELDS[s].includes(field));
      const target = screen === 'category' && this.sequence().includes('subcategory') ? 'subcategory' : screen || 'check';
      return { field, target, message: t(key) };
    });
    const rows = this.summaryRows().map(([screen, label, value]) => h('div', { class: 'summary__row' },
      h('dt', { class: 'summary__key' }, label),
      h('dd', { class: 'summary__value' }, Array.isArray(value) ? value.map((v) => h('span', { class: 'summary__line' }, v)) : value),
      h('dd', { class: 'summary__action' }, h('a', { href: '#' + screen, 'data-change': screen, onclick: () => { this.state.fromCheck = true; this.save(); } },
        t('check.change'), h('span', { class: 'visually-hidden' }, ' ' + label.toLowerCase())))));
    const node = h('div', { class: 'screen', 'data-screen': 'check' },
      this.kiosk ? null : this.backLink('check'),
      errorSummary(server, () => { this.state.fromCheck = true; this.save(); }),
      h('h1', { class: 'page-heading' }, title),
      h('dl', { class: 'summary' }, rows),
      h('h2', {}, t('check.send.title')),
      h('p', {}, t('check.send.text')),
      h('div', { id: 'submit-problem' }),
      h('div', { class: 'status', id: 'submit-status', role: 'status', 'aria-live': 'polite' }),
      h('div', { class: this.kiosk ? 'actions actions--nav' : 'actions' }, this.kiosk ? this.backLink('check') : null,
        h('button', { type: 'button', class: 'button button--primary', id: 'submit-button', 'data-action': 'submit', onclick: () => this.submit() }, t('check.send.button'))));
    return { title, node };
  }

  screen_done() {
    const r = this.state.receipt;
    const cat = this.category(r.main);
    const party = r.external ? this.party(r.main, r.sub) : null;
    const title = t(`done.title.${r.kind}`);
    const node = h('div', { class: 'screen', 'data-screen': 'done' },
      h('div', { class: 'panel' },
        h('h1', { class: 'panel__title' }, title),
        h('p', { class: 'panel__body' }, t('done.reference'), h('br'), h('strong', { class: 'reference', id: 'reference' }, referenceGroups(r.reference)))),
      h('p', {}, t('done.keep')),
      h('dl', { class: 'summary summary--done' },
        h('div', { class: 'summary__row' }, h('dt', { class: 'summary__key' }, t('check.location')), h('dd', { class: 'summary__value', id: 'done-place' }, r.place || t('check.empty'))),
        h('div', { class: 'summary__row' }, h('dt', { class: 'summary__key' }, t('check.description')), h('dd', { class: 'summary__value', id: 'done-description' }, r.description))),
      r.photos ? this.web.doneBlock(r.photos) : null,
      r.status_key ? h('p', { id: 'done-follow' }, t('done.follow', { link: this.statusLink(r) })) : null,
      h('h2', {}, t('done.next.title')),
      h('p', {}, t(r.hasContact ? 'done.next.contact' : 'done.next.nocontact')),
      party ? h('div', { class: 'inset' }, h('h2', {}, t('done.external.title', { party: party.name })),
        h('p', {}, t(r.consent ? 'done.external.yes' : 'done.external.no', { party: party.name })), this.contactBlock(party)) : null,
      h('h2', {}, t('done.contact.title')),
      this.contactBlock(this.config.contact),
      this.kiosk ? h('p', { class: 'countdown', id: 'reset-note' }, t('done.reset', { seconds: this.config.kiosk.confirmation_seconds })) : null,
      this.kiosk
        ? h('div', { class: 'actions actions--nav' },
          h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'new', onclick: () => this.reset() }, t('done.new')),
          h('button', { type: 'button', class: 'button button--primary', 'data-action': 'print', onclick: () => window.print() }, t('done.print')))
        : h('div', { class: 'actions actions--row' },
          h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'print', onclick: () => window.print() }, t('done.print')),
          h('button', { type: 'button', class: 'button', 'data-action': 'new', onclick: () => this.reset() }, t('done.new'))));
    this.fillReceipt(r, cat, party);
    return { title, node };
  }

  fillReceipt(r, cat, party) {
    const el = document.getElementById('receipt');
    if (!el) return;
    const sub = cat && r.sub ? cat.subcategories.find((s) => s.key === r.sub) : null;
    const c = this.config.contact;
    el.replaceChildren(...[
      h('p', { class: 'receipt__org' }, `${localName(c.name)} — ${t('app.city')}`),
      h('p', { class: 'receipt__title' }, t('receipt.title')),
      h('p', { class: 'receipt__ref', id: 'receipt-ref' }, referenceGroups(r.reference)),
      h('p', {}, `${t('check.kind')}: ${t(`kind.${r.kind}.label`)}`),
      h('p', {}, `${t('check.category')}: ${localName(cat && cat.name)}${sub ? ' — ' + localName(sub.name) : ''}`),
      h('p', { id: 'receipt-place' }, `${t('check.location')}: ${r.place || t('check.empty')}`),
      h('p', { id: 'receipt-description' }, `${t('check.description')}: ${r.description || ''}`),
      h('p', {}, `${t('receipt.date')}: ${formatTime(r.received_at, getLanguage(), this.config.time_zone)}`),
      h('p', {}, t('receipt.keep')),
      ...this.statusLines(r),
      h('p', {}, `${localName(c.name)}: ${c.phone}${c.email ? ' · ' + c.email : ''}`),
      c.url ? h('p', {}, c.url.replace(/^https?:\/\//, '')) : null,
      party ? h('p', {}, `${party.name}: ${[party.phone, party.email, (party.url || '').replace(/^https?:\/\//, '')].filter(Boolean).join(' · ')}`) : null,
    ].filter(Boolean));
  }

  /** The status link, its key and the link's QR code (made by the service), for the receipt. */
  statusLink(r) {
    const base = (this.config.link_base || location.origin).replace(/\/$/, '');
    return `${base}/status/${encodeURIComponent(r.reference)}?key=${encodeURIComponent(r.status_key)}`;
  }

  statusLines(r) {
    if (!r.status_key) return [];
    const ref = encodeURIComponent(r.reference);
    const key = encodeURIComponent(r.status_key);
    const link = this.statusLink(r);
    return [
      h('p', { class: 'receipt__status' }, t('receipt.status'), h('br'), h('span', { class: 'receipt__link', id: 'receipt-link' }, link)),
      h('p', {}, `${t('receipt.key')}: `, h('strong', { id: 'receipt-key' }, r.status_key)),
      h('img', { class: 'receipt__qr', id: 'receipt-qr', src: `/status/${ref}/qr.svg?key=${key}`, alt: t('receipt.qr'), width: '120', height: '120' }),
    ];
  }

  // -- reading and moving on ------------------------------------------------------------
  collect() {
    const form = this.root.querySelector('form.question');
    if (!form) return;
    const a = this.a;
    const val = (id) => { const el = form.querySelector('#' + id); return el ? el.value : null; };
    switch (form.dataset.screen) {
      case 'kind': a.kind = checkedValue(form, 'kind') || a.kind; break;
      case 'quick': {
        const v = checkedValue(form, 'quick');
        if (v) {
          const [main, sub] = v.split('/');
          a.main = main;
          a.sub = sub || '';
          a.consent_forward = null;
        }
        break;
      }
      case 'category': {
        const v = checkedValue(form, 'category');
        if (v && v !== a.main) {
          a.main = v;
          const cat = this.category();
          a.sub = cat.subcategories && cat.subcategories.length ? null : '';
          a.consent_forward = null;
        }
        break;
      }
      case 'subcategory': {
        const v = checkedValue(form, 'sub');
        if (v != null && v !== a.sub) {
          a.sub = v;
          a.consent_forward = null;
        }
        break;
      }
      case 'description': a.description = val('f-description') ?? a.description; break;
      case 'location': {
        a.address = val('f-address') ?? a.address;
        // An address typed over a chosen suggestion is no longer that point.
        if (a.place === 'address' && a.address.trim() !== a.placeAddress) Object.assign(a, { lat: null, lon: null, place: null, placeAddress: null });
        const d = checkedValue(form, 'district');
        if (d != null) a.district = d;
        break;
      }
      case 'nearby': {
        const b = this.submitter;
        this.submitter = null;
        if (b && b.dataset.action === 'same') a.same_as = b.dataset.ref;
        else if (b && b.dataset.action === 'continue') a.same_as = null;
        break;
      }
      case 'photos': { const c = form.querySelector('#f-photos-public'); if (c) a.photos_public = c.checked; break; }
      case 'experience': { const v = checkedValue(form, 'score'); if (v != null) a.experience_score = Number(v); break; }
      case 'contact':
        a.contact.name = val('f-name') ?? a.contact.name;
        a.contact.email = val('f-email') ?? a.contact.email;
        a.contact.phone = val('f-phone') ?? a.contact.phone;
        break;
      case 'consent': { const v = checkedValue(form, 'consent'); if (v != null) a.consent_forward = v === 'true'; break; }
      default: break;
    }
    this.save();
  }

  async next(name) {
    this.collect();
    const fields = (SCREEN_FIELDS[name] || []).filter((f) => f !== 'category' || name === 'category' || name === 'quick');
    this.errors = validate(fields, this.a, this.config);
    if (this.errors.length) { this.render(true); return; }
    for (const f of SCREEN_FIELDS[name] || []) delete this.state.serverErrors[f];
    if (name === 'subcategory') delete this.state.serverErrors.category;
    if (!this.state.visited.includes(name)) this.state.visited.push(name);
    // Place and category known: what is already reported nearby comes next (when there is any).
    if (['location', 'quick', 'category', 'subcategory'].includes(name)) await this.loadNearby();
    const seq = this.sequence();
    if (this.state.fast && name === seq[seq.length - 1]) { this.save(); this.submit(); return; }
    let target = seq[seq.indexOf(name) + 1] || 'check';
    if (this.state.fromCheck) target = this.firstIncomplete() || 'check';
    if (target === 'check') this.state.fromCheck = false;
    this.save();
    this.go(target);
  }

  // -- sending ----------------------------------------------------------------------------
  setStatus(text) { const el = document.getElementById('submit-status'); if (el) el.textContent = text; }

  showProblem(message, retry) {
    const box = document.getElementById('submit-problem');
    if (!box) return;
    box.replaceChildren(h('div', { class: 'problem', tabindex: '-1', id: 'problem-box', role: 'alert' },
      h('h2', { class: 'problem__title' }, t('submit.problem.title')), h('p', {}, message)));
    this.setStatus('');
    const button = document.getElementById('submit-button');
    if (button && retry) button.textContent = t('submit.retry');
    box.firstChild.focus();
  }

  async submit() {
    if (this.sending) return;
    const missing = this.firstIncomplete();
    if (missing && missing !== 'check') { this.go(missing); return; }
    this.a.contact.language = getLanguage();
    const body = signalBody(this.a, this.config);
    const a = this.a;
    if (a.lat != null && a.lon != null) Object.assign(body, { lat: a.lat, lon: a.lon });
    if (a.same_as) body.same_as = a.same_as;
    if (this.web && this.photos.length) body.photos_public = a.photos_public === true;
    const json = JSON.stringify(body);
    if (!this.state.pending || this.state.pending.body !== json) this.state.pending = { key: uuid(), body: json };
    this.save();
    const gen = this.generation;
    const button = document.getElementById('submit-button');
    const box = document.getElementById('submit-problem');
    if (box) box.replaceChildren();
    this.sending = true;
    if (button) button.setAttribute('aria-disabled', 'true');
    this.setStatus(t('submit.sending'));
    try {
      const signal = await createWithRetry('/api/v1/signals', body, {
        token: this.token, key: this.state.pending.key,
        onWait: () => { if (gen === this.generation) this.setStatus(t('submit.waiting')); },
        cancelled: () => gen !== this.generation,
      });
      if (gen !== this.generation) return;
      this.state = {
        ...freshState(),
        receipt: {
          reference: signal.reference, kind: body.kind, main: this.a.main, sub: this.a.sub,
          external: Boolean(this.party()), consent: body.consent_forward === true, hasContact: Boolean(body.contact && (body.contact.email || body.contact.phone)),
          received_at: signal.received_at || new Date().toISOString(),
          status_key: signal.status_key || null,
          // A pin's district is the service's answer.
          place: [this.placeText(), a.place === 'pin' && signal.district ? localName((this.config.districts.find((d) => d.key === signal.district) || {}).name) : '']
            .filter(Boolean).join(', '),
          description: shorten(body.description),
        },
      };
      this.save();
      // The signal is stored: the photos follow with its status key; one that fails loses nothing else.
      if (this.web && this.photos.length && signal.status_key) {
        this.setStatus(t('photos.sending'));
        const photos = await this.web.upload(signal.reference, signal.status_key, this.photos);
        if (gen !== this.generation) return;
        this.photos = [];
        this.state.receipt.photos = photos;
        this.save();
      }
      history.replaceState(null, '', location.pathname + location.search + '#done');
      this.show('done');
    } catch (e) {
      if (gen !== this.generation) return;
      if (e instanceof ApiError && [400, 413, 422].includes(e.status)) {
        const map = {};
        for (const fe of e.fieldErrors) {
          const f = normaliseField(fe.field);
          let key = t('error.api.' + f) !== 'error.api.' + f ? 'error.api.' + f : 'error.api.generic';
          if (fe.field === 'lat' || fe.field === 'lon') key = 'error.api.place';
          if (!map[f]) map[f] = key;
        }
        if (e.status === 413) map.description = 'error.description.long';
        if (!Object.keys(map).length) map.check = 'error.api.generic';
        this.state.serverErrors = map;
        if (this.state.fast && Object.keys(map).some((f) => !(SCREEN_FIELDS[this.screen] || []).includes(f))) {
          // The fast path has no check screen: carry on in the full form, which shows every field's error.
          this.state.fast = false;
          this.state.visited.push('kind', 'experience', 'contact');
          this.save();
          this.go('check');
          return;
        }
        this.save();
        this.render(true);
      } else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.showProblem(t(this.kiosk ? 'submit.refused.kiosk' : 'submit.refused'), false);
      } else {
        this.showProblem(t(this.kiosk ? 'submit.unreachable.kiosk' : 'submit.unreachable'), true);
      }
    } finally {
      if (gen === this.generation) {
        this.sending = false;
        const b = document.getElementById('submit-button');
        if (b) b.removeAttribute('aria-disabled');
      }
    }
  }
}
