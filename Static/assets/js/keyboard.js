// An on-screen keyboard for counter screens without a physical one; types into the focused text field.
import { t } from './i18n.js';

const ROWS = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  ['a', 'z', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'],
  ['q', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm'],
  ['shift', 'w', 'x', 'c', 'v', 'b', 'n', 'é', 'è', 'backspace'],
  ['@', '.', '-', 'space', "'", ',', 'ç', 'hide'],
];
const SPECIAL = { shift: '⇧', backspace: '⌫', hide: '⌄' };
const TEXT_FIELDS = 'input[type=text], input[type=email], input[type=tel], input[type=search], input:not([type]), textarea';

export class Keyboard {
  constructor(el) {
    this.el = el;
    this.target = null;
    this.shift = false;
    const rows = ROWS.map((row) => {
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
    el.replaceChildren(...rows);
    this.relabel();
    // Keep the focus in the text field: a key press must not move it.
    const keep = (e) => { if (e.target.closest('.key')) e.preventDefault(); };
    el.addEventListener('pointerdown', keep);
    el.addEventListener('mousedown', keep);
    el.addEventListener('click', (e) => {
      const k = e.target.closest('.key');
      if (k) this.press(k.dataset.key);
    });
    document.addEventListener('focusin', (e) => {
      if (e.target.matches && e.target.matches(TEXT_FIELDS)) this.attach(e.target);
      else if (!el.contains(e.target)) this.hide();
    });
  }

  relabel() {
    for (const b of this.el.querySelectorAll('[data-i18n]')) b.textContent = t(b.dataset.i18n);
    for (const b of this.el.querySelectorAll('[data-i18n-label]')) b.setAttribute('aria-label', t(b.dataset.i18nLabel));
  }

  attach(field) {
    this.target = field;
    this.el.hidden = false;
    this.relabel();
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
    for (const k of this.el.querySelectorAll('.key--char')) k.textContent = on ? k.dataset.key.toUpperCase() : k.dataset.key;
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
      const ch = key === 'space' ? ' ' : this.shift ? key.toUpperCase() : key;
      if (f.maxLength > 0 && f.value.length >= f.maxLength) return;
      if (start == null) f.value += ch;
      else f.setRangeText(ch, start, end, 'end');
      if (this.shift) this.setShift(false);
    }
    f.dispatchEvent(new Event('input', { bubbles: true }));
    if (document.activeElement !== f) f.focus();
  }
}
