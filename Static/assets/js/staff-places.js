// Place and photos on the staff pages (desk, agent console, back office; docs/interface.md §14):
// an address field with suggestions from places.js, a photo upload after a signal exists, and
// photos read back with the staff token. Photos need the token, so an <img> cannot point at them:
// they are fetched and shown as data: URLs (the pages' img-src allows 'self' and data:).
import { addressSuggester, signalFields } from './places.js';
import { ApiError } from './api.js';
import { h } from './dom.js';

/**
 * Wires suggestions under an address input: typing asks the service, a chosen suggestion fills the
 * input and calls onPick(fields) with {address, lat, lon, district?}; typing again after a choice
 * calls onPick(null) (the coordinates no longer belong to the text). `label(n)` words the count.
 */
export function wireAddress(input, { onPick, label, listLabel }) {
  const list = h('ul', { class: 'address-suggestions', id: input.id + '-suggestions', 'aria-label': listLabel });
  list.hidden = true;
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: input.id + '-count' });
  input.after(status, list);
  input.setAttribute('aria-controls', list.id);
  // Suggestions belong to the field being typed in: none appear (or stay) once the focus moved on,
  // so a late answer never pushes the rest of the form down under the pointer.
  const focusHere = () => document.activeElement === input || list.contains(document.activeElement);
  const show = (items) => {
    if (items.length && !focusHere()) items = [];
    list.replaceChildren(...items.map((item, i) => h('li', {},
      h('button', { type: 'button', class: 'address-suggestion', 'data-action': 'pick-address', 'data-index': String(i),
        onclick: () => {
          input.value = item.address;
          list.hidden = true;
          list.replaceChildren();
          status.textContent = '';
          onPick(signalFields(item));
          input.focus();
        } }, item.address))));
    list.hidden = !items.length;
    status.textContent = items.length ? label(items.length) : '';
  };
  const suggester = addressSuggester(show);
  input.addEventListener('input', () => { onPick(null); suggester.suggest(input.value); });
  const leave = () => setTimeout(() => { if (!focusHere()) { suggester.cancel(); show([]); } }, 0);
  input.addEventListener('blur', leave);
  list.addEventListener('focusout', leave);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && !list.hidden) { e.preventDefault(); list.querySelector('button')?.focus(); }
    if (e.key === 'Escape') { list.hidden = true; }
  });
  list.addEventListener('keydown', (e) => {
    const buttons = [...list.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? buttons[i - 1] : input).focus(); }
    if (e.key === 'Escape') { list.hidden = true; input.focus(); }
  });
  return suggester;
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png'];

/** Posts one image file as a photo of `reference`; resolves with the photo, rejects with ApiError. */
export async function uploadPhoto(token, reference, file) {
  const res = await fetch(`/api/v1/signals/${encodeURIComponent(reference)}/photos`, {
    method: 'POST', body: file, cache: 'no-store', credentials: 'omit',
    headers: { 'Content-Type': file.type, Authorization: 'Bearer ' + token, Accept: 'application/json, application/problem+json' },
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) throw new ApiError(res.status, data, 0);
  return data;
}

/** Why a photo was refused, as the end of a text key (`error.large`: 413 too large or too many,
 * `error.type`: 415 not an image, `error.unreadable`: 422); each page puts its own prefix before it. */
export function photoErrorKey(e) {
  if (!(e instanceof ApiError)) return 'error.offline';
  return { 413: 'error.large', 415: 'error.type', 422: 'error.unreadable', 409: 'error.removed' }[e.status] || 'error.refused';
}

/** A photo (or thumbnail) read with the token, as a data: URL. */
export async function photoDataUrl(token, url) {
  const res = await fetch(url, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store', credentials: 'omit' });
  if (!res.ok) throw new ApiError(res.status, null, 0);
  const blob = await res.blob();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

/** A file input for one photo (JPEG or PNG). */
export function photoInput({ id, label, hint, error }) {
  return h('div', { class: 'field' + (error ? ' field--error' : '') },
    h('label', { for: id, class: 'label' }, label),
    hint ? h('p', { class: 'hint', id: id + '-hint' }, hint) : null,
    error ? h('p', { class: 'error-message', id: id + '-error' }, error) : null,
    h('input', { type: 'file', id, name: id, class: 'file-input', accept: PHOTO_TYPES.join(','),
      'aria-describedby': [hint ? id + '-hint' : null, error ? id + '-error' : null].filter(Boolean).join(' ') || null }));
}
