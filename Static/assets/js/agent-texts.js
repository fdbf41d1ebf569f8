// The agent console's texts: /assets/i18n/agent/{lang}.json (kept out of the files the kiosk and
// the website load), Dutch as the fallback.
import { textFile } from './i18n.js';

let current = {};
let dutch = {};

const block = (code) => textFile(`/assets/i18n/agent/${code}.json`).then((doc) => (doc && typeof doc === 'object' ? doc : {}));

/** Loads the console's texts for a language (Dutch stays loaded as the fallback). */
export async function loadAgentTexts(code) {
  dutch = await block('nl');
  current = code === 'nl' ? dutch : await block(code).catch(() => dutch);
}

/** The console text for key, with {name} filled in. */
export function at(key, params) {
  let s = current[key] ?? dutch[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
  return s;
}

/** Whether the console has its own text for key. */
export function hasText(key) {
  return key in current || key in dutch;
}

/** Fills elements marked data-agent-i18n. */
export function applyAgentTexts(root) {
  for (const el of root.querySelectorAll('[data-agent-i18n]')) el.textContent = at(el.dataset.agentI18n);
}
