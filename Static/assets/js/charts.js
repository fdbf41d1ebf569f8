// Charts as inline SVG, drawn here without any outside library. Colours come from
// classes in staff.css (CSP allows no inline styles). Every bar carries data-key and
// data-value with the figure it shows, and every chart has an accessible name; the
// page puts a table with the same figures next to each chart.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svg(id, label, width, height, children) {
  return el('svg', { id, class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label,
    preserveAspectRatio: 'xMinYMin meet' }, el('title', {}, label), children);
}

const W = 760;
const LABEL = 230;
const BAR = 400;
const ROW = 30;

/**
 * Horizontal bars: items [{key, label, value, text}]; value sets the length against max
 * (default: the largest value), text is what is written after the bar.
 */
export function barChart({ id, label, items, max }) {
  const top = Math.max(1e-9, max ?? Math.max(0, ...items.map((i) => i.value)));
  const rows = items.map((it, n) => {
    const y = n * ROW;
    const w = Math.max(0, Math.round((it.value / top) * BAR));
    return el('g', { class: 'chart__row', 'data-key': it.key, 'data-value': it.value },
      el('text', { x: LABEL - 8, y: y + 19, 'text-anchor': 'end' }, it.label),
      el('rect', { class: 'bar', x: LABEL, y: y + 5, width: w, height: ROW - 10 }),
      el('text', { class: 'chart__value', x: LABEL + w + 8, y: y + 19 }, it.text));
  });
  return svg(id, label, W, items.length * ROW + 4, [el('line', { class: 'axis', x1: LABEL, y1: 0, x2: LABEL, y2: items.length * ROW }), ...rows]);
}

/** Two bars per row (e.g. share of signals beside share of population): items [{key, label, a, b, textA, textB}]. */
export function pairChart({ id, label, items }) {
  const top = Math.max(1e-9, ...items.flatMap((i) => [i.a, i.b]));
  const rowH = 44;
  const rows = items.map((it, n) => {
    const y = n * rowH;
    const wa = Math.round((it.a / top) * BAR);
    const wb = Math.round((it.b / top) * BAR);
    return el('g', { class: 'chart__row', 'data-key': it.key, 'data-value': it.a, 'data-population': it.b },
      el('text', { x: LABEL - 8, y: y + 24, 'text-anchor': 'end' }, it.label),
      el('rect', { class: 'bar', x: LABEL, y: y + 4, width: wa, height: 16 }),
      el('text', { class: 'chart__value', x: LABEL + wa + 8, y: y + 17 }, it.textA),
      el('rect', { class: 'bar bar--alt', x: LABEL, y: y + 22, width: wb, height: 16 }),
      el('text', { x: LABEL + wb + 8, y: y + 35 }, it.textB));
  });
  return svg(id, label, W, items.length * rowH + 4, [el('line', { class: 'axis', x1: LABEL, y1: 0, x2: LABEL, y2: items.length * rowH }), ...rows]);
}

/** One 100 % bar per row split in segments: items [{key, label, parts: [n1..n5], text}]. */
export function stackedChart({ id, label, items }) {
  const rows = items.map((it, n) => {
    const y = n * ROW;
    const total = it.parts.reduce((a, b) => a + b, 0);
    let x = LABEL;
    const segs = it.parts.map((p, i) => {
      const w = total ? (p / total) * BAR : 0;
      const r = el('rect', { class: `bar bar--s${i + 1}`, x: x.toFixed(2), y: y + 5, width: w.toFixed(2), height: ROW - 10, 'data-score': i + 1, 'data-value': p });
      x += w;
      return r;
    });
    return el('g', { class: 'chart__row', 'data-key': it.key, 'data-value': total },
      el('text', { x: LABEL - 8, y: y + 19, 'text-anchor': 'end' }, it.label), ...segs,
      el('text', { class: 'chart__value', x: LABEL + BAR + 8, y: y + 19 }, it.text));
  });
  return svg(id, label, W + 60, items.length * ROW + 4, rows);
}

/** Vertical columns (e.g. 24 hours): items [{key, label, value}]. */
export function columnChart({ id, label, items }) {
  const top = Math.max(1e-9, ...items.map((i) => i.value));
  const H = 160;
  const colW = Math.floor((W - 40) / items.length);
  const cols = items.map((it, n) => {
    const h = Math.round((it.value / top) * H);
    const x = 30 + n * colW;
    return el('g', { class: 'chart__row', 'data-key': it.key, 'data-value': it.value },
      el('rect', { class: 'bar', x: x + 2, y: 20 + H - h, width: colW - 4, height: h }),
      el('text', { class: 'chart__value', x: x + colW / 2, y: 14 + H - h, 'text-anchor': 'middle' }, it.value ? String(it.value) : ''),
      el('text', { x: x + colW / 2, y: H + 38, 'text-anchor': 'middle' }, it.label));
  });
  return svg(id, label, W, H + 46, [el('line', { class: 'axis', x1: 30, y1: H + 20, x2: W - 10, y2: H + 20 }), ...cols]);
}

/**
 * Two columns per period (e.g. each month beside the same month a year earlier):
 * items [{key, label, a, b, textA, textB}]; the first column of each pair carries data-key,
 * data-value (a) and data-population (b) like pairChart's rows. Labels are written under
 * every column pair, or under every third when there are more than 18.
 */
export function groupedColumnChart({ id, label, items }) {
  const top = Math.max(1e-9, ...items.flatMap((i) => [i.a, i.b]));
  const H = 170;
  const left = 30;
  const colW = (W - left - 10) / Math.max(1, items.length);
  const barW = Math.max(2, colW / 2 - 3);
  const every = items.length > 18 ? 3 : 1;
  const cols = items.map((it, n) => {
    const x = left + n * colW;
    const ha = Math.round((it.a / top) * H);
    const hb = Math.round((it.b / top) * H);
    return el('g', { class: 'chart__row', 'data-key': it.key, 'data-value': it.a, 'data-population': it.b },
      el('title', {}, `${it.label}: ${it.textA} / ${it.textB}`),
      el('rect', { class: 'bar', x: (x + 2).toFixed(2), y: 20 + H - ha, width: barW.toFixed(2), height: ha }),
      el('rect', { class: 'bar bar--alt', x: (x + 2 + barW).toFixed(2), y: 20 + H - hb, width: barW.toFixed(2), height: hb }),
      items.length <= 18 ? el('text', { class: 'chart__value', x: (x + 2 + barW / 2).toFixed(2), y: 14 + H - ha, 'text-anchor': 'middle' }, it.textA) : null,
      n % every === 0 ? el('text', { x: (x + colW / 2).toFixed(2), y: H + 38, 'text-anchor': 'middle' }, it.short || it.label) : null);
  });
  return svg(id, label, W, H + 46, [el('line', { class: 'axis', x1: left, y1: H + 20, x2: W - 10, y2: H + 20 }), ...cols]);
}
