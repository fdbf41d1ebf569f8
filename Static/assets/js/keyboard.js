// An on-screen keyboard for counter screens without a physical one; types into the focused text field.
// One letter layout per language, with the letters that language needs, and a keypad for
// phone numbers and other numeric fields.
import { t, getLanguage } from './i18n.js';

const DIGITS = '1234567890';
const LETTERS = {
  nl: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  en: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  de: ['qwertzuiopü', 'asdfghjklöä', 'yxcvbnmß'],
  fr: ['azertyuiop', 'qsdfghjklm', 'wxcvbn'],
};
const ACCENTS = { nl: 'éëïèóáü', en: 'éè', de: 'éèàç', fr: 'éèêëçàâîôûùï' };
const SYMBOLS = ['@', '.', '-', '_', '+', '/', '?', '!', ';', ':', ',', "'"];
const PAD = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['+', '0', 'backspace'], ['space', 'hide']];
const SPECIAL = { shift: '⇧', backspace: '⌫', hide: '⌄' };
const TEXT_FIELDS = 'input[type=text], input[type=email], input[type=tel], input[type=search], input:not([type]), textarea';

/** The rows of keys for a language, or the keypad. */
function layout(mode, lang) {
  if (mode === 'numeric') return PAD;
  const [top, middle, bottom] = LETTERS[lang] || LETTERS.nl;
  const rows = [[...DIGITS], [...top], [...middle], ['shift', ...bottom, 'backspace']];
  if (ACCENTS[lang]) rows.push([...ACCENTS[lang]]);
  rows.push(SYMBOLS, ['space', 'hide']);
  return rows;
}

/** Whether a field takes numbers only (phone numbers and numeric fields get the keypad). */
function isNumeric(field) {
  const mode = field.getAttribute('inputmode');
  return field.type === 'tel' || mode === 'tel' || mode === 'numeric' || mode === 'decimal';
}

/** The key's upper case: ß has no single-letter capital a keyboard would type. */
const upper = (key) => (key.toUpperCase().length === 1 ? key.toUpperCase() : key);

export class Keyboard {
  constructor(el) {
    this.el = el;
    this.target = null;
    this.shift = false;
    this.built = null;
    // Keep the focus in the text field: a key press must not move it.
    const keep = (e) => { if (e.target.closest('.key')) e.preventDefault(); };
    el.addEventListener('pointerdown', keep);
    el.addEventListener('mousedown', keep);
    el.addEventListener('click', (e) => {
      const k = e.target.closest('.key');
      if (k) this.press(k.dataset.key);
    });
    // A button or link keeps the keyboard until the screen changes: hiding it on the press would move
    // the button away from under the finger before the touch ends, and the press would be lost.
    document.addEventListener('focusin', (e) => {
      if (!e.target.matches) return;
      if (e.target.matches(TEXT_FIELDS)) this.attach(e.target);
      else if (e.target.matches('input, select')) this.hide();
    });
    // A touch on the field that already has the focus brings a hidden keyboard back.
    document.addEventListener('click', (e) => {
      if (this.el.hidden && e.target.matches && e.target.matches(TEXT_FIELDS)) this.attach(e.target);
    });
  }

  /** Builds the keys for a mode ('letters' or 'numeric') in the page's language, if not already there. */
  build(mode) {
    const lang = getLanguage();
    if (this.built === mode + ':' + lang) return;
    this.built = mode + ':' + lang;
    this.shift = false;
    this.el.dataset.mode = mode;
    this.el.dataset.lang = lang;
    const rows = layout(mode, lang).map((row) => {
      const r = document.createElement('div');
      r.className = 'keyboard__row';
      for (const key of row) {
        const b = document.createElement('button');
        b.type = 'button';
        b.tabIndex = -1; // a physical keyboard does not need to walk through these
        b.className = 'key key--' + (key.length > 1 ? key : 'char');
        b.dataset.key = key;
        if (key === 'space') b.dataset.i18n = 'kbd.space';
        else if (SPECIAL[key]) { b.textContent = SPECIAL[key]; b.dataset.i18nLabel = 'kbd.' + key; }
        else b.textContent = key;
        if (key === 'shift') b.setAttribute('aria-pressed', 'false');
        r.append(b);
      }
      return r;
    });
    this.el.replaceChildren(...rows);
    this.el.setAttribute('aria-label', t(mode === 'numeric' ? 'kbd.numbers' : 'kbd.label'));
    this.relabel();
  }

  /** New texts (and, for a new language, new letters) after a change of language. */
  relabel() {
    if (this.built && !this.built.endsWith(':' + getLanguage())) { this.build(this.built.split(':')[0]); return; }
    for (const b of this.el.querySelectorAll('[data-i18n]')) b.textContent = t(b.dataset.i18n);
    for (const b of this.el.querySelectorAll('[data-i18n-label]')) b.setAttribute('aria-label', t(b.dataset.i18nLabel));
  }

  attach(field) {
    this.target = field;
    this.build(isNumeric(field) ? 'numeric' : 'letters');
    this.el.hidden = false;
    requestAnimationFrame(() => field.scrollIntoView({ block: 'nearest' }));
  }

  hide() {
    this.el.hidden = true;
    this.setShift(false);
  }

  setShift(on) {
    this.shift = on;
    const b = this.el.querySelector('[data-key=shift]');
    if (b) b.setAttribute('aria-pressed', String(on));
    for (const k of this.el.querySelectorAll('.key--char')) k.textContent = on ? upper(k.dataset.key) : k.dataset.key;
  }

  press(key) {
    const f = this.target;
    if (!f || !f.isConnected) return;
    if (key === 'hide') { this.hide(); f.blur(); return; }
    if (key === 'shift') { this.setShift(!this.shift); return; }
    let start = null;
    let end = null;
    try { start = f.selectionStart; end = f.selectionEnd; } catch { start = null; } // e-mail inputs have no selection
    if (key === 'backspace') {
      if (start == null) f.value = f.value.slice(0, -1);
      else if (start !== end) f.setRangeText('', start, end, 'end');
      else if (start > 0) f.setRangeText('', start - 1, start, 'end');
    } else {
      const ch = key === 'space' ? ' ' : this.shift ? upper(key) : key;
      if (f.maxLength > 0 && f.value.length >= f.maxLength) return;
      if (start == null) f.value += ch;
      else f.setRangeText(ch, start, end, 'end');
      if (this.shift) this.setShift(false);
    }
    f.dispatchEvent(new Event('input', { bubbles: true }));
    if (document.activeElement !== f) f.focus();
  }
}
