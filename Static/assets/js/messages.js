// What the back office shows of the messages the service sends (docs/interface.md §11): the banner when
// they are not going out, each signal's messages with a retry for failed ones, the answer as the
// reporter will get it before it is saved, and the answer as an A4 letter for a reporter without
// e-mail. Texts: the "messages" section of /assets/i18n/staff/*.json; the letter's own words in
// the reporter's language from its "letter" section.
import { ApiError } from './api.js';
import { localName, textFile } from './i18n.js';
import { h, formatTime } from './dom.js';
import { tx, api, lang } from './staff.js';

const STATUSES = ['queued', 'sent', 'failed'];

/** GET /api/v1/mail/status, or null when this service has no such endpoint or does not answer. */
export async function mailStatus(session) {
  try {
    return await api(session, 'GET', '/api/v1/mail/status');
  } catch {
    return null;
  }
}

/** The banner above the back office when messages are not going out; null when all is well. */
export function mailBanner(status) {
  if (!status) return null;
  let text = null;
  if (!status.configured) text = tx('banner.unconfigured', { queued: status.queued });
  else if (status.failed > 0) text = tx('banner.failed', { failed: status.failed });
  if (!text) return null;
  return h('div', { class: 'mail-banner', id: 'mail-banner', role: 'status' },
    h('p', { class: 'mail-banner__title' }, tx('banner.title')), h('p', {}, text));
}

/** A signal's messages, or null when this service has no messages endpoint. */
export async function loadMessages(session, reference) {
  try {
    const page = await api(session, 'GET', `/api/v1/signals/${encodeURIComponent(reference)}/messages`);
    return page.items;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

/** The messages table with "Opnieuw versturen" on failed rows. */
export function messagesSection(items, { timeZone, onRetry, problem }) {
  const when = (iso) => (iso ? formatTime(iso, lang(), timeZone) : tx('none'));
  const status = (s) => (STATUSES.includes(s) ? tx('status.' + s) : s);
  const body = items == null
    ? h('p', { id: 'messages' }, tx('unavailable'))
    : items.length === 0
      ? h('p', { id: 'messages' }, tx('empty'))
      : h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'h-messages' }, h('table', { class: 'table messages', id: 'messages' },
        h('caption', { class: 'visually-hidden' }, tx('title')),
        h('thead', {}, h('tr', {}, ['kind', 'to', 'status', 'attempts', 'last_error', 'queued_at', 'sent_at', 'action']
          .map((c) => h('th', { scope: 'col' }, tx('col.' + c))))),
        h('tbody', {}, items.map((m) => h('tr', { 'data-message': String(m.id), 'data-status': m.status },
          h('td', {}, tx('kind.' + m.kind)),
          h('td', { class: 'messages__to' }, m.to || tx('none')),
          h('td', {}, h('span', { class: 'tag tag--message-' + m.status }, status(m.status))),
          h('td', {}, String(m.attempts ?? 0)),
          h('td', { class: 'messages__error' }, m.last_error || tx('none')),
          h('td', {}, when(m.queued_at)),
          h('td', {}, when(m.sent_at)),
          h('td', {}, m.status === 'failed'
            ? h('button', { type: 'button', class: 'button button--secondary button--small', 'data-action': 'retry-message',
              'aria-label': tx('retry.label', { kind: tx('kind.' + m.kind), to: m.to || tx('none') }), onclick: () => onRetry(m) }, tx('retry'))
            : tx('none')))))));
  return h('section', { class: 'messages-section', 'aria-labelledby': 'h-messages' },
    h('h3', { id: 'h-messages' }, tx('title')),
    problem ? h('div', { class: 'problem', role: 'alert', id: 'messages-problem' }, h('p', {}, problem)) : null,
    body);
}

/** POST /api/v1/messages/{id}/retry. */
export function retryMessage(session, id) {
  return api(session, 'POST', `/api/v1/messages/${encodeURIComponent(id)}/retry`);
}

/**
 * The answer as the reporter would get it (POST …/answer-preview). When this service has no
 * preview, a stand-in made from the signal: the answer text as written and how it would reach them.
 */
export async function answerPreview(session, signal, answer) {
  try {
    const p = await api(session, 'POST', `/api/v1/signals/${encodeURIComponent(signal.reference)}/answer-preview`, { answer });
    return { ...p, exact: true };
  } catch (e) {
    // A service without the preview route answers 404, or 413 (an unknown route takes no body).
    if (!(e instanceof ApiError) || ![404, 405, 413].includes(e.status)) throw e;
    const c = signal.contact || {};
    const channel = c.email ? 'email' : c.postal_address ? 'letter' : 'none';
    return { to: c.email || c.postal_address || null, channel, language: c.language || 'nl', subject: null, text: answer, html: null, exact: false };
  }
}

/** How the answer reaches the reporter, in one sentence. */
export function deliveryStatement(p, signal) {
  const c = (signal && signal.contact) || {};
  if (p.channel === 'email') return tx('delivery.email', { to: p.to || c.email || '' });
  // A letter needs an address to go to: a letter signal without one gets nothing either.
  const postal = p.channel === 'letter' ? p.to || c.postal_address : null;
  if (postal) return tx('delivery.letter', { to: [c.name, postal].filter(Boolean).join(', ').replace(/\n/g, ', ') });
  return tx('delivery.none');
}

/** The preview shown before an answer is saved, with the buttons to save it or go back. */
export function previewBox(p, signal, { onConfirm, onCancel }) {
  return h('section', { class: 'preview inset', id: 'bo-preview', 'aria-labelledby': 'h-preview', tabindex: '-1' },
    h('h3', { id: 'h-preview' }, tx('preview.title')),
    h('p', { class: 'preview__delivery', id: 'preview-delivery' }, h('strong', {}, deliveryStatement(p, signal))),
    p.exact ? null : h('p', { class: 'hint' }, tx('preview.approximate')),
    p.subject ? h('p', { id: 'preview-subject' }, h('span', { class: 'preview__label' }, tx('preview.subject') + ' '), p.subject) : null,
    h('div', { class: 'preview__text', id: 'preview-text', lang: p.language || null }, p.text || ''),
    h('div', { class: 'actions actions--row' },
      h('button', { type: 'button', class: 'button button--primary', 'data-action': 'confirm-answer', onclick: onConfirm }, tx('preview.confirm')),
      h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'cancel-answer', onclick: onCancel }, tx('preview.cancel'))));
}

/** Whether the answer should go out on paper: a postal address and no e-mail. */
export function needsLetter(signal) {
  const c = signal && signal.contact;
  return Boolean(signal && signal.answer && c && c.postal_address && !c.email);
}

/** The letter's words in a language (the "letter" section of the staff texts); none: {}. */
const lettersIn = (code) => textFile(`/assets/i18n/staff/${code}.json`).then((j) => j.letter || {}).catch(() => ({}));

/**
 * Fills #letter with the answer as an A4 letter and shows it. The address sits in the window of a
 * DL envelope with the window on the right (see letter.css). The letter is in the reporter's language
 * when the city has it, else in the city's first language; the body is the answer-preview's text.
 */
export async function openLetter(session, config, signal, { onClose }) {
  const p = await answerPreview(session, signal, signal.answer);
  const language = config.languages.includes(p.language) ? p.language : config.languages[0];
  const [own, nl] = await Promise.all([lettersIn(language), lettersIn('nl')]);
  const lt = (key, params) => {
    let s = own[key] ?? nl[key] ?? key;
    if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
    return s;
  };
  const c = config.contact;
  const city = localName(config.city);
  const today = new Intl.DateTimeFormat(language + '-BE', { timeZone: config.time_zone, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
  const contact = signal.contact || {};
  const addressLines = [contact.name, ...(contact.postal_address || '').split('\n')].filter(Boolean);
  // Without the service's preview, the letter's own short template around the answer.
  const ownText = () => [contact.name ? lt('salutation', { name: contact.name }) : lt('salutation.anonymous'), '',
    signal.answer, '', lt('closing'), localName(c.name)].join('\n');
  const el = document.getElementById('letter');
  el.lang = language;
  el.replaceChildren(
    h('div', { class: 'letter__tools' },
      h('p', {}, tx('letter.intro', { language: tx('language.' + language) })),
      h('div', { class: 'actions actions--row' },
        h('button', { type: 'button', class: 'button button--primary', 'data-action': 'print-letter', onclick: () => window.print() }, tx('letter.print')),
        h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'close-letter', onclick: () => { closeLetter(); onClose(); } }, tx('letter.close')))),
    h('article', { class: 'letter__sheet', 'aria-label': tx('letter.label') },
      h('span', { class: 'letter__fold letter__fold--1', 'aria-hidden': 'true' }),
      h('span', { class: 'letter__fold letter__fold--2', 'aria-hidden': 'true' }),
      h('header', { class: 'letter__head' },
        h('p', { class: 'letter__city' }, lt('city', { city })),
        h('p', { class: 'letter__org' }, localName(c.name)),
        c.address ? h('p', {}, c.address) : null,
        c.phone ? h('p', {}, `${lt('phone')} ${c.phone}`) : null,
        config.phone_line && config.phone_line !== c.phone ? h('p', {}, `${lt('free_line')} ${config.phone_line}`) : null,
        c.email ? h('p', {}, `${lt('email')} ${c.email}`) : null,
        c.url ? h('p', {}, c.url.replace(/^https?:\/\//, '')) : null),
      h('div', { class: 'letter__window', id: 'letter-address' }, addressLines.map((l) => h('p', {}, l))),
      h('div', { class: 'letter__meta' },
        h('p', {}, lt('place_date', { city, date: today })),
        h('p', {}, `${lt('reference')} `, h('strong', { id: 'letter-reference' }, signal.reference))),
      h('div', { class: 'letter__body' },
        p.subject ? h('p', { class: 'letter__subject' }, p.subject) : null,
        h('div', { class: 'letter__text', id: 'letter-text' }, p.exact ? p.text : ownText())),
      h('footer', { class: 'letter__foot' },
        h('p', {}, [localName(c.name), c.address, c.phone, c.email, (c.url || '').replace(/^https?:\/\//, '')].filter(Boolean).join(' · ')),
        h('p', {}, lt('footer', { reference: signal.reference })))));
  el.hidden = false;
  document.body.classList.add('letter-open');
  el.querySelector('[data-action="print-letter"]').focus();
}

export function closeLetter() {
  const el = document.getElementById('letter');
  if (!el) return;
  el.hidden = true;
  el.replaceChildren();
  document.body.classList.remove('letter-open');
}
