// Small DOM helpers and the form parts shared by the citizen flow and the desk.
import { t } from './i18n.js';

/** Creates an element: h('p', {class: 'hint'}, 'text', child). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = Boolean(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const describedBy = (...ids) => ids.filter(Boolean).join(' ') || null;

/** GOV.UK-style error summary: a titled list of links to the fields. */
export function errorSummary(errors, onLink) {
  if (!errors.length) return null;
  return h('div', { class: 'error-summary', tabindex: '-1', 'aria-labelledby': 'error-summary-title', id: 'error-summary' },
    h('h2', { id: 'error-summary-title', class: 'error-summary__title' }, t('error.title')),
    h('ul', { class: 'error-summary__list' }, errors.map((e) =>
      h('li', {}, h('a', {
        href: '#' + e.target,
        'data-target': e.target,
        onclick: (ev) => {
          const el = document.getElementById(e.target);
          if (el) {
            ev.preventDefault();
            el.focus();
            el.scrollIntoView({ block: 'center' });
          } else if (onLink) {
            onLink(ev, e);
          }
        },
      }, e.message)))));
}

function errorMessage(id, message) {
  return message ? h('p', { class: 'error-message', id }, h('span', { class: 'visually-hidden' }, t('error.prefix') + ' '), message) : null;
}

/** A text input or textarea with label, hint and error message. */
export function textField({ id, label, hint, error, value = '', multiline = false, heading = false, type = 'text',
  inputmode, autocomplete, maxlength, rows = 6, width, spellcheck, autocapitalize, pattern, required = false }) {
  const hintId = hint ? id + '-hint' : null;
  const errId = error ? id + '-error' : null;
  const attrs = {
    id, name: id, class: (multiline ? 'textarea' : 'input') + (width ? ' input--' + width : '') + (error ? ' input--error' : ''),
    value, inputmode, autocomplete, maxlength, spellcheck, autocapitalize, pattern,
    'aria-describedby': describedBy(hintId, errId), 'aria-invalid': error ? 'true' : null,
    'aria-required': required ? 'true' : null,
  };
  const control = multiline ? h('textarea', { ...attrs, rows }) : h('input', { ...attrs, type });
  const lab = h('label', { for: id, class: heading ? 'label label--page' : 'label' }, label);
  return h('div', { class: 'field' + (error ? ' field--error' : '') },
    heading ? h('h1', { class: 'page-heading' }, lab) : lab,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorMessage(errId, error),
    control);
}

/** A radio group in a fieldset; options: [{value, label, hint}]. */
export function radios({ id, name, legend, hint, error, options, value, heading = false, tiles = false, columns = false }) {
  const hintId = hint ? id + '-hint' : null;
  const errId = error ? id + '-error' : null;
  const items = options.map((o, i) => {
    const oid = i === 0 ? id : `${id}-${i}`;
    const ohint = o.hint ? oid + '-item-hint' : null;
    return h('div', { class: 'radio' + (tiles ? ' radio--tile' : '') },
      h('input', { type: 'radio', id: oid, name, value: o.value, checked: value != null && String(o.value) === String(value), 'aria-describedby': ohint }),
      h('label', { for: oid, class: 'radio__label' }, h('span', { class: 'radio__text' }, o.label),
        o.hint ? h('span', { class: 'radio__hint', id: ohint }, o.hint) : null));
  });
  const leg = h('legend', { class: heading ? 'legend legend--page' : 'legend' }, heading ? h('h1', { class: 'page-heading' }, legend) : legend);
  return h('div', { class: 'field' + (error ? ' field--error' : '') },
    h('fieldset', { class: 'fieldset', 'aria-describedby': describedBy(hintId, errId) }, leg,
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      errorMessage(errId, error),
      h('div', { class: 'radios' + (tiles ? ' radios--tiles' : '') + (columns ? ' radios--columns' : '') }, items)));
}

/** A select with label, hint and error; options: [{value, label}] or {group, options}. */
export function select({ id, label, hint, error, options, value }) {
  const hintId = hint ? id + '-hint' : null;
  const errId = error ? id + '-error' : null;
  const opt = (o) => h('option', { value: o.value }, o.label);
  const el = h('select', { id, name: id, class: 'select' + (error ? ' input--error' : ''), 'aria-describedby': describedBy(hintId, errId), 'aria-invalid': error ? 'true' : null },
    options.map((o) => (o.group ? h('optgroup', { label: o.group }, o.options.map(opt)) : opt(o))));
  el.value = value ?? '';
  return h('div', { class: 'field' + (error ? ' field--error' : '') },
    h('label', { for: id, class: 'label' }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorMessage(errId, error), el);
}

/** Value of the checked radio in a named group inside root, or null. */
export function checkedValue(root, name) {
  const el = root.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : null;
}

/** Formats an RFC 3339 timestamp in the city's time zone. */
export function formatTime(iso, lang, timeZone, withDate = true) {
  const d = iso ? new Date(iso) : new Date();
  const opts = withDate ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(lang + '-BE', { ...opts, timeZone }).format(d);
  } catch {
    return d.toISOString();
  }
}
