// The website form's own place and photo tools (docs/interface.md §14): a Leaflet map pin when the
// config names a tile URL, "use my location" on phones, and up to three photos sent after the
// signal is stored. The kiosk does not load this module (nor Leaflet, nor these texts).
import { h } from './dom.js';
import { t } from './i18n.js';

const TYPES = ['image/jpeg', 'image/png'];

let leaflet = null; // Promise of window.L
let mapEl = null;
let map = null;
let marker = null;
let shown = null; // the point the view was last moved to
let maxMb = 10;

const onPhone = () => matchMedia('(pointer: coarse), (max-width: 48em)').matches;

/** Loads Leaflet (served by the service from Debian's libjs-leaflet) once. */
function loadLeaflet() {
  if (!leaflet) {
    leaflet = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: '/assets/leaflet/leaflet.css' }));
      const s = h('script', { src: '/assets/leaflet/leaflet.js' });
      s.onload = () => resolve(window.L);
      s.onerror = () => { leaflet = null; reject(new Error('leaflet')); };
      document.head.append(s);
    });
  }
  return leaflet;
}

/** Builds the map once, then moves its marker and view to the form's point. */
async function mount(form) {
  const cfg = form.config.map;
  let L;
  try { L = await loadLeaflet(); } catch { return; }
  if (!mapEl || !mapEl.isConnected) return;
  const a = form.a;
  const point = a.lat != null && a.lon != null ? [a.lat, a.lon] : null;
  if (!map) {
    // Without a point the map opens on the city (map.center from the config), or on the world.
    const centre = cfg.center ? [cfg.center.lat, cfg.center.lon] : null;
    map = L.map(mapEl, { zoomControl: false, attributionControl: false })
      .setView(point || centre || [0, 0], point ? 17 : centre ? 14 : 2);
    L.control.zoom({ zoomInTitle: t('map.zoom.in'), zoomOutTitle: t('map.zoom.out') }).addTo(map);
    L.control.attribution({ prefix: false }).addAttribution(cfg.attribution || '').addTo(map);
    L.tileLayer(cfg.tile_url, { maxZoom: 19 }).addTo(map);
    map.on('click', (e) => { shown = [e.latlng.lat, e.latlng.lng]; form.setPin(e.latlng.lat, e.latlng.lng); });
    shown = point;
  }
  map.invalidateSize();
  if (point) {
    if (!marker) marker = L.marker(point, { keyboard: false, interactive: false, alt: t('map.pin') }).addTo(map);
    else marker.setLatLng(point);
    const near = shown && Math.abs(shown[0] - point[0]) < 1e-5 && Math.abs(shown[1] - point[1]) < 1e-5;
    if (!near) map.setView(point, Math.max(map.getZoom(), 17));
    shown = point;
  } else if (marker) {
    marker.remove();
    marker = null;
  }
}

function locate(form) {
  const status = document.getElementById('gps-status');
  if (status) status.textContent = t('map.gps.busy');
  navigator.geolocation.getCurrentPosition(
    (p) => form.setPin(p.coords.latitude, p.coords.longitude),
    () => { const el = document.getElementById('gps-status'); if (el) el.textContent = t('map.gps.failed'); },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

/** The map and "use my location" under the address field; null when neither applies. */
export function placeBlock(form) {
  const cfg = form.config.map;
  const gps = 'geolocation' in navigator && onPhone();
  if (!(cfg && cfg.tile_url) && !gps) return null;
  if (cfg && cfg.tile_url && !mapEl) mapEl = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': t('map.label'), 'aria-describedby': 'map-hint' });
  if (mapEl) {
    mapEl.setAttribute('aria-label', t('map.label'));
    requestAnimationFrame(() => mount(form));
  }
  return h('div', { class: 'place-tools' },
    h('h2', { class: 'place-tools__title' }, t('map.title')),
    gps ? h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'gps', onclick: () => locate(form) }, t('map.gps')) : null,
    h('p', { id: 'gps-status', role: 'status' }),
    mapEl ? [
      h('p', { class: 'hint', id: 'map-hint' }, t('map.hint')),
      mapEl,
      h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'pin-centre',
        onclick: () => { if (map) { const c = map.getCenter(); shown = [c.lat, c.lng]; form.setPin(c.lat, c.lng); } } }, t('map.centre')),
    ] : null);
}

const mb = (bytes) => (bytes / 1048576).toLocaleString(undefined, { maximumFractionDigits: 1 });

function limits(form) {
  const p = form.config.photos || {};
  return { max: p.max_per_signal || 3, bytes: p.max_bytes || 10485760, types: p.media_types || TYPES };
}

/** Adds chosen files, refusing (with a reason) one too many, too large or not a JPEG or PNG. */
function addFiles(form, files) {
  const { max, bytes, types } = limits(form);
  const problems = [];
  for (const f of files) {
    if (form.photos.length >= max) problems.push(t('photos.error.many', { max, name: f.name }));
    else if (!types.includes(f.type)) problems.push(t('photos.error.type', { name: f.name }));
    else if (f.size > bytes) problems.push(t('photos.error.large', { name: f.name, mb: mb(bytes) }));
    else form.photos.push(f);
  }
  form.photoProblems = problems;
  form.rerender();
  const el = document.getElementById(problems.length ? 'photo-problems' : 'photo-list');
  if (el) el.focus();
}

/** The photo screen's fields: the chooser (and the camera on a phone), the chosen photos, the consent. */
export function photoFields(form, error) {
  const { max, bytes, types } = limits(form);
  maxMb = mb(bytes);
  const title = t('photos.question');
  const problems = form.photoProblems || [];
  form.photoProblems = [];
  const picker = (id, label, extra) => {
    const input = h('input', { type: 'file', id, class: 'file', accept: types.join(','), 'aria-describedby': 'photos-hint', ...extra });
    input.addEventListener('change', () => addFiles(form, [...input.files]));
    return h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, label), input);
  };
  return [
    h('h1', { class: 'page-heading' }, title),
    h('p', { class: 'hint', id: 'photos-hint' }, t('photos.hint', { max, mb: mb(bytes) })),
    problems.length ? h('div', { class: 'problem', id: 'photo-problems', tabindex: '-1', role: 'alert' }, h('ul', {}, problems.map((p) => h('li', {}, p)))) : null,
    form.photos.length < max
      ? [picker('f-photos', t('photos.choose'), { multiple: true }), onPhone() ? picker('f-camera', t('photos.camera'), { capture: 'environment' }) : null]
      : h('p', {}, t('photos.full', { max })),
    h('ul', { class: 'photo-list', id: 'photo-list', tabindex: '-1', 'aria-label': t('check.photos') }, form.photos.map((f, i) => h('li', { class: 'photo-list__item' },
      h('span', {}, `${f.name} (${mb(f.size)} MB)`),
      h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'remove-photo',
        onclick: () => { form.photos.splice(i, 1); form.rerender(); } }, t('photos.remove'), h('span', { class: 'visually-hidden' }, ' ' + f.name))))),
    h('div', { class: 'checkbox' + (error ? ' field--error' : '') },
      h('input', { type: 'checkbox', id: 'f-photos-public', checked: form.a.photos_public, 'aria-describedby': 'photos-public-hint' }),
      h('label', { for: 'f-photos-public', class: 'checkbox__label' }, t('photos.public'))),
    h('p', { class: 'hint', id: 'photos-public-hint' }, t('photos.public.hint')),
  ];
}

/** Sends the photos one by one with the signal's status key; {sent, failed: [{name, key}]}. */
export async function upload(reference, statusKey, files) {
  const out = { sent: 0, failed: [] };
  const reason = { 413: 'photos.error.large', 415: 'photos.error.type', 422: 'photos.error.broken' };
  for (const f of files) {
    let key = 'photos.error.failed';
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const r = await fetch(`/api/v1/signals/${encodeURIComponent(reference)}/photos`, {
          method: 'POST', body: f, credentials: 'omit', cache: 'no-store',
          headers: { 'Content-Type': f.type, 'X-Status-Key': statusKey, Accept: 'application/json, application/problem+json' },
        });
        if (r.ok) { key = null; break; }
        key = reason[r.status] || 'photos.error.failed';
        if (![429, 503].includes(r.status)) break;
      } catch { key = 'photos.error.failed'; }
      await new Promise((res) => setTimeout(res, 1500 * (attempt + 1)));
    }
    if (key) out.failed.push({ name: f.name, key });
    else out.sent++;
  }
  return out;
}

/** What became of the photos, on the done screen. */
export function doneBlock(p) {
  return h('div', { class: p.failed.length ? 'problem' : 'inset', id: 'done-photos' },
    h('p', {}, t('done.photos', { count: p.sent })),
    p.failed.length ? [h('p', {}, t('done.photos.failed')), h('ul', {}, p.failed.map((f) => h('li', {}, t(f.key, { name: f.name, mb: maxMb, max: 3 }))))] : null);
}
