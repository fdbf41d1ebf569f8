// The report (/reports): a range of days (default: last calendar year) and filters,
// the figures of GET /api/v1/reports/signals drawn as SVG charts with their tables,
// the phone line's figures when GET /api/v1/reports/calls answers, and a print layout
// that makes a clean A4 document of it, with page numbers. The same range a year earlier is
// asked too, for the month-by-month trend and the written summary.
import { ApiError } from './api.js';
import { localName } from './i18n.js';
import { h } from './dom.js';
import { barChart, pairChart, stackedChart, columnChart, groupedColumnChart } from './charts.js';
import { startPage, forgetToken, tx, api, languageSwitch, pageFrame, lang, number, percent } from './staff.js';

const TEXTS = ['reports', 'backoffice'];
const REPORTERS = ['citizen', 'staff'];
const ROUTES = ['opunt', 'special_procedure', 'external', 'unrouted'];
const KINDS = ['report', 'complaint', 'suggestion', 'compliment'];
const CHANNELS = ['web', 'kiosk', 'counter', 'phone', 'email', 'letter'];
const NATURES = ['service', 'policy', 'combination', 'undetermined', 'unclassified'];
const OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld', 'inadmissible', 'none'];

const root = document.getElementById('main');
const bar = document.getElementById('staff-bar');
const S = { session: null, config: null, query: null, report: null, previous: null, calls: null, problem: null, loading: false };

function lastCalendarYear(timeZone) {
  const year = Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(new Date())) - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The same days one year earlier (29 February becomes the 28th). */
function yearEarlier(day) {
  const [y, m, d] = day.split('-').map(Number);
  const dd = m === 2 && d === 29 ? 28 : d;
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}
const monthEarlier = (key) => `${String(Number(key.slice(0, 4)) - 1).padStart(4, '0')}${key.slice(4)}`;
const monthText = (key) => new Intl.DateTimeFormat(lang() + '-BE', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(key + '-15T12:00:00Z'));
const monthShort = (key, withYear) => new Intl.DateTimeFormat(lang() + '-BE', withYear ? { month: 'short', year: '2-digit', timeZone: 'UTC' } : { month: 'short', timeZone: 'UTC' }).format(new Date(key + '-15T12:00:00Z'));
/** "2025" when the range is one whole calendar year, otherwise null. */
const wholeYear = (r) => (r.from.slice(0, 4) === r.to.slice(0, 4) && r.from.endsWith('-01-01') && r.to.endsWith('-12-31') ? r.from.slice(0, 4) : null);
const dayText = (d) => new Intl.DateTimeFormat(lang() + '-BE', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d + 'T12:00:00Z'));
const routeName = (r) => (r === 'unrouted' ? tx('route.unrouted') : tx('route.' + r));
const natureName = (n) => (n === 'unclassified' ? tx('nature.unclassified') : tx('nature.' + n));
const categoryName = (k) => { const c = S.config.categories.find((x) => x.key === k); return c ? localName(c.name) : k; };
function subcategoryName(k) {
  const [main, sub] = k.split('/');
  const c = S.config.categories.find((x) => x.key === main);
  if (!c) return k;
  if (!sub) return tx('subcategory.main_only', { main: localName(c.name) });
  const s = (c.subcategories || []).find((x) => x.key === sub);
  return `${localName(c.name)}: ${s ? localName(s.name) : sub}`;
}
const districtName = (k) => { const d = S.config.districts.find((x) => x.key === k); return d ? localName(d.name) : k; };

function duration(seconds) {
  if (seconds == null) return tx('none');
  if (seconds < 3600) return tx('minutes', { n: number(seconds / 60, 0) });
  if (seconds < 2 * 86400) return tx('hours', { n: number(seconds / 3600, 1) });
  return tx('days', { n: number(seconds / 86400, 1) });
}

// -- controls ------------------------------------------------------------------------
function checks(id, legend, values, chosen, label) {
  return h('fieldset', { class: 'filter-group', id },
    h('legend', { class: 'legend' }, legend),
    h('div', { class: 'checks' }, values.map((v) => h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: `${id}-${v}`, name: id, value: v, checked: chosen.includes(v) }),
      h('label', { for: `${id}-${v}` }, label(v))))));
}

function controls() {
  const q = S.query;
  const form = h('form', { class: 'no-print', id: 'report-form', 'aria-labelledby': 'h-controls', novalidate: true },
    h('h2', { id: 'h-controls' }, tx('controls')),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { class: 'label', for: 'r-from' }, tx('from')), h('input', { class: 'input', type: 'date', id: 'r-from', name: 'from', value: q.from, required: true })),
      h('div', { class: 'field' }, h('label', { class: 'label', for: 'r-to' }, tx('to')), h('input', { class: 'input', type: 'date', id: 'r-to', name: 'to', value: q.to, required: true })),
      checks('r-reporter', tx('reporter'), REPORTERS, q.reporter, (v) => tx('reporter.' + v))),
    checks('r-route', tx('route'), ROUTES, q.route, routeName),
    checks('r-kind', tx('kind'), KINDS, q.kind, (v) => tx('kind.' + v)),
    checks('r-channel', tx('channel'), CHANNELS, q.channel, (v) => tx('channel.' + v)),
    h('div', { class: 'actions actions--row' },
      h('button', { type: 'submit', class: 'button button--primary', 'data-action': 'show' }, tx('show')),
      h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'csv', onclick: downloadCSV }, tx('csv')),
      h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'print', onclick: () => window.print() }, tx('print'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const all = (n) => [...form.querySelectorAll(`input[name="${n}"]:checked`)].map((x) => x.value);
    S.query = { from: form.querySelector('#r-from').value, to: form.querySelector('#r-to').value,
      reporter: all('r-reporter'), route: all('r-route'), kind: all('r-kind'), channel: all('r-channel') };
    load();
  });
  return form;
}

/** The report's query string, commas left as they are (every value is a plain word or a day). */
function queryString(q) {
  const parts = [`from=${encodeURIComponent(q.from)}`, `to=${encodeURIComponent(q.to)}`];
  for (const k of ['reporter', 'route', 'kind', 'channel']) if (q[k].length) parts.push(`${k}=${q[k].map(encodeURIComponent).join(',')}`);
  return parts.join('&');
}

// -- the report ----------------------------------------------------------------------
function table(caption, head, rows, id) {
  return h('table', { class: 'figures', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-key': r.key }, h('th', { scope: 'row' }, r.cells[0]), r.cells.slice(1).map((c) => h('td', { class: 'num' }, c))))));
}

function countSection(id, title, keys, counts, shares, label, extra) {
  const items = keys.map((k) => ({ key: k, label: label(k), value: counts[k], text: `${number(counts[k])} (${percent(shares[k])})` }));
  return h('section', { class: 'report-section', id: 'sec-' + id, 'aria-labelledby': 'h-' + id },
    h('h2', { id: 'h-' + id }, title), extra || null,
    barChart({ id: 'chart-' + id, label: title, items }),
    table(title, [tx('key'), tx('count'), tx('share')], keys.map((k) => ({ key: k, cells: [label(k), number(counts[k]), percent(shares[k])] })), 'table-' + id));
}

function experienceSection(r) {
  const title = tx('experience');
  const rows = CHANNELS.map((c) => ({ c, e: r.experience.by_channel[c] }));
  const shown = rows.filter((x) => x.e.answered > 0);
  const dist = (e) => [1, 2, 3, 4, 5].map((n) => e.distribution[String(n)]);
  const mean = (e) => (e.mean == null ? tx('none') : number(e.mean, 2));
  const all = { c: 'all', e: r.experience };
  return h('section', { class: 'report-section', id: 'sec-experience', 'aria-labelledby': 'h-experience' },
    h('h2', { id: 'h-experience' }, title), h('p', {}, tx('experience.text')),
    r.experience.answered === 0 ? h('p', {}, tx('experience.none')) : [
      h('ul', { class: 'legend-list', 'aria-hidden': 'true' }, [1, 2, 3, 4, 5].map((n) => h('li', {}, h('span', { class: `swatch swatch--s${n}` }), tx('score', { n })))),
      stackedChart({ id: 'chart-experience', label: title, items: shown.map(({ c, e }) => ({
        key: c, label: tx('channel.' + c), parts: dist(e), text: tx('experience.row', { n: number(e.answered), mean: mean(e) }) })) }),
    ],
    table(title, [tx('channel'), ...[1, 2, 3, 4, 5].map((n) => tx('score', { n })), tx('answered_score'), tx('mean_score')],
      [...rows, all].map(({ c, e }) => ({ key: c, cells: [c === 'all' ? tx('all') : tx('channel.' + c), ...dist(e).map((n) => number(n)), number(e.answered), mean(e)] })),
      'table-experience'));
}

function answerTimeSection(r) {
  const title = tx('answer_time');
  const head = [tx('key'), tx('answered'), tx('median'), tx('p90')];
  const rows = (group, label) => Object.keys(r.answer_time[group]).map((k) => {
    const t = r.answer_time[group][k];
    return { key: k, cells: [label(k), number(t.answered), duration(t.median_seconds), duration(t.p90_seconds)] };
  });
  const mains = S.config.categories.map((c) => c.key).filter((k) => r.answer_time.by_main_category[k]);
  return h('section', { class: 'report-section', id: 'sec-answer-time', 'aria-labelledby': 'h-answer-time' },
    h('h2', { id: 'h-answer-time' }, title), h('p', {}, tx('answer_time.text')),
    table(tx('by_route'), head, ROUTES.map((k) => rows('by_route', routeName).find((x) => x.key === k)), 'table-answer-route'),
    table(tx('by_main_category'), head, mains.map((k) => rows('by_main_category', categoryName).find((x) => x.key === k)), 'table-answer-category'));
}

function districtSection(r) {
  const title = tx('by_district');
  const items = r.by_district.map((d) => ({ key: d.district, label: districtName(d.district), a: d.share, b: d.population_share,
    textA: `${percent(d.share)} (${number(d.count)})`, textB: percent(d.population_share) }));
  const estimated = r.by_district.some((d) => d.population_estimated);
  return h('section', { class: 'report-section', id: 'sec-district', 'aria-labelledby': 'h-district' },
    h('h2', { id: 'h-district' }, title),
    h('ul', { class: 'legend-list', 'aria-hidden': 'true' },
      h('li', {}, h('span', { class: 'swatch swatch--bar' }), tx('district.signals')),
      h('li', {}, h('span', { class: 'swatch swatch--alt' }), tx('district.population'))),
    pairChart({ id: 'chart-district', label: title, items }),
    table(title, [tx('key'), tx('count'), tx('district.signals'), tx('district.population')],
      r.by_district.map((d) => ({ key: d.district, cells: [districtName(d.district), number(d.count), percent(d.share), percent(d.population_share)] })), 'table-district'),
    h('p', { class: 'report-note' }, tx('district.without', { count: number(r.without_district) }) + (estimated ? ' ' + tx('district.estimated') : '')));
}

function callsSection(c) {
  const title = tx('calls', { number: S.config.phone_line || '' });
  const v = (x, f) => (x == null ? tx('none') : f(x));
  const kpis = [
    ['calls.offered', v(c.offered, number)], ['calls.answered', v(c.answered, number)], ['calls.abandoned', v(c.abandoned, number)],
    ['calls.service_level', v(c.service_level, percent)], ['calls.abandon_rate', v(c.abandon_rate, percent)],
    ['calls.asa', v(c.average_speed_of_answer_seconds, (s) => tx('seconds', { n: number(s) }))],
    ['calls.talk', v(c.average_talk_seconds, (s) => tx('minutes', { n: number(s / 60, 1) }))],
    ['calls.signals', v(c.signals_created, number)],
  ];
  const hours = Array.isArray(c.by_hour) ? c.by_hour : Object.keys(c.by_hour || {}).sort().map((k) => c.by_hour[k]);
  return h('section', { class: 'report-section', id: 'sec-calls', 'aria-labelledby': 'h-calls' },
    h('h2', { id: 'h-calls' }, title),
    h('ul', { class: 'kpis', id: 'calls-kpis' }, kpis.map(([k, val]) => h('li', { class: 'kpi', 'data-key': k },
      h('span', { class: 'kpi__value' }, val), h('span', { class: 'kpi__label' }, tx(k))))),
    hours.length === 24 ? [h('h3', {}, tx('calls.by_hour')),
      columnChart({ id: 'chart-calls-hour', label: tx('calls.by_hour'), items: hours.map((n, i) => ({ key: String(i), label: String(i), value: n })) })] : null);
}

/** The satisfaction question after the answer (docs/interface.md §12): asked, given, satisfied. */
function satisfactionSection(r) {
  const f = r.satisfaction;
  if (!f) return null;
  const kpis = [['asked', f.asked], ['given', f.given], ['satisfied', f.satisfied]];
  return h('section', { class: 'report-section', id: 'sec-satisfaction', 'aria-labelledby': 'h-satisfaction' },
    h('h2', { id: 'h-satisfaction' }, tx('satisfaction.title')),
    h('ul', { class: 'kpis', id: 'satisfaction-kpis' }, kpis.map(([k, n]) => h('li', { class: 'kpi', 'data-key': 'satisfaction.' + k },
      h('span', { class: 'kpi__value', id: 'satisfaction-' + k }, number(n)), h('span', { class: 'kpi__label' }, tx('satisfaction.' + k))))),
    h('p', { id: 'satisfaction-text' }, f.asked ? tx('satisfaction.text', {
      asked: number(f.asked), given: number(f.given), satisfied: number(f.satisfied),
      share: f.given ? percent(f.satisfied / f.given) : tx('none'),
    }) : tx('satisfaction.none')));
}

/** The written summary: a few sentences made from the figures, for a reader who reads no chart. */
export function summaryText(r, prev) {
  const year = wholeYear(r);
  const period = year ? tx('summary.in_year', { year }) : tx('summary.in_range', { from: dayText(r.from), to: dayText(r.to) });
  const out = [];
  if (!r.total) return [tx('summary.nothing', { period })];
  let first = tx(r.total === 1 ? 'summary.total_one' : 'summary.total', { period, total: number(r.total) });
  if (prev && prev.total) {
    const change = (r.total - prev.total) / prev.total;
    const before = year ? tx('summary.prev_year', { year: String(Number(year) - 1) }) : tx('summary.prev_range');
    first += ' ' + (change === 0 ? tx('summary.same', { before, prev: number(prev.total) })
      : tx(change > 0 ? 'summary.more' : 'summary.less', { change: percent(Math.abs(change)), before, prev: number(prev.total) }));
  }
  out.push(first);
  out.push(tx('summary.web', { share: percent(r.web_share) }));
  const mains = Object.entries(r.by_main_category).sort((a, b) => b[1] - a[1]);
  if (mains.length && mains[0][1] > 0) out.push(tx('summary.top_category', { category: categoryName(mains[0][0]), n: number(mains[0][1]), share: percent(r.shares.by_main_category[mains[0][0]]) }));
  if (r.on_time.answered) {
    out.push(tx('summary.on_time', { answered: number(r.on_time.answered), on_time: number(r.on_time.on_time), share: percent(r.on_time.on_time / r.on_time.answered) }));
  }
  const complaints = r.by_kind.complaint;
  if (complaints) {
    const o = r.complaint_outcomes;
    const decided = complaints - o.none;
    out.push(decided
      ? tx('summary.complaints', { n: number(complaints), decided: number(decided), upheld: number(o.upheld), partly: number(o.partly_upheld), not: number(o.not_upheld), inadmissible: number(o.inadmissible) })
      : tx('summary.complaints_open', { n: number(complaints) }));
  }
  if (r.ombuds_referrals) out.push(tx('summary.ombuds', { n: number(r.ombuds_referrals) }));
  if (r.experience.mean != null) out.push(tx('summary.experience', { mean: number(r.experience.mean, 1), n: number(r.experience.answered) }));
  return out;
}

function summarySection(r, prev) {
  return h('section', { class: 'report-section report-summary', id: 'sec-summary', 'aria-labelledby': 'h-summary' },
    h('h2', { id: 'h-summary' }, tx('summary.title')),
    h('div', { id: 'summary-text' }, summaryText(r, prev).map((s) => h('p', {}, s))));
}

function trendSection(r, prev) {
  const title = tx('trend.title');
  const months = Object.keys(r.by_month).sort();
  const before = (m) => (prev && prev.by_month ? prev.by_month[monthEarlier(m)] ?? 0 : 0);
  const diff = (m) => { const d = r.by_month[m] - before(m); return (d > 0 ? '+' : '') + number(d); };
  return h('section', { class: 'report-section', id: 'sec-trend', 'aria-labelledby': 'h-trend' },
    h('h2', { id: 'h-trend' }, title), h('p', {}, tx('trend.text')),
    h('ul', { class: 'legend-list', 'aria-hidden': 'true' },
      h('li', {}, h('span', { class: 'swatch swatch--bar' }), tx('trend.this')),
      h('li', {}, h('span', { class: 'swatch swatch--alt' }), tx('trend.before'))),
    groupedColumnChart({ id: 'chart-trend', label: title, items: months.map((m) => ({ key: m, label: monthText(m), short: monthShort(m, months.length > 12), a: r.by_month[m], b: before(m),
      textA: number(r.by_month[m]), textB: number(before(m)) })) }),
    table(title, [tx('trend.month'), tx('trend.this'), tx('trend.before'), tx('trend.diff')],
      months.map((m) => ({ key: m, cells: [monthText(m), number(r.by_month[m]), number(before(m)), diff(m)] })), 'table-trend'));
}

function onTimeSection(r) {
  const t = r.on_time;
  const share = t.answered ? percent(t.on_time / t.answered) : tx('none');
  return h('section', { class: 'report-section', id: 'sec-on-time', 'aria-labelledby': 'h-on-time' },
    h('h2', { id: 'h-on-time' }, tx('on_time.title')),
    h('ul', { class: 'kpis', id: 'on-time-kpis' }, [['answered', number(t.answered)], ['on_time', number(t.on_time)], ['late', number(t.answered - t.on_time)], ['share', share]]
      .map(([k, val]) => h('li', { class: 'kpi', 'data-key': 'on_time.' + k }, h('span', { class: 'kpi__value', id: 'on-time-' + k }, val), h('span', { class: 'kpi__label' }, tx('on_time.' + k))))),
    h('p', { id: 'on-time-text' }, t.answered ? tx('on_time.text', { answered: number(t.answered), on_time: number(t.on_time), share }) : tx('on_time.none')));
}

function subcategorySection(r) {
  const title = tx('by_subcategory');
  const keys = Object.keys(r.by_subcategory);
  const order = S.config.categories.flatMap((c) => [c.key, ...(c.subcategories || []).map((s) => `${c.key}/${s.key}`)]);
  keys.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const shown = keys.filter((k) => r.by_subcategory[k] > 0);
  return h('section', { class: 'report-section', id: 'sec-subcategory', 'aria-labelledby': 'h-subcategory' },
    h('h2', { id: 'h-subcategory' }, title), h('p', {}, tx('by_subcategory.text', { hidden: number(keys.length - shown.length) })),
    table(title, [tx('key'), tx('count'), tx('share')],
      shown.map((k) => ({ key: k, cells: [subcategoryName(k), number(r.by_subcategory[k]), percent(r.total ? r.by_subcategory[k] / r.total : 0)] })), 'table-subcategory'));
}

function outcomesSection(r) {
  const title = tx('outcomes.title');
  const o = r.complaint_outcomes;
  const complaints = OUTCOMES.reduce((a, k) => a + o[k], 0);
  const items = OUTCOMES.map((k) => ({ key: k, label: tx('outcome.' + k), value: o[k], text: `${number(o[k])} (${percent(complaints ? o[k] / complaints : 0)})` }));
  return h('section', { class: 'report-section', id: 'sec-outcomes', 'aria-labelledby': 'h-outcomes' },
    h('h2', { id: 'h-outcomes' }, title), h('p', {}, tx('outcomes.text')),
    complaints ? barChart({ id: 'chart-outcomes', label: title, items }) : h('p', {}, tx('outcomes.none')),
    table(title, [tx('outcome'), tx('count'), tx('outcomes.share')],
      OUTCOMES.map((k) => ({ key: k, cells: [tx('outcome.' + k), number(o[k]), percent(complaints ? o[k] / complaints : 0)] })), 'table-outcomes'));
}

function reportView(r) {
  const filters = ['reporter', 'route', 'kind', 'channel'].filter((k) => r.filters[k].length)
    .map((k) => `${tx(k)}: ${r.filters[k].map((v) => (k === 'route' ? routeName(v) : tx(`${k}.${v}`))).join(', ')}`);
  const kpis = [
    ['total', number(r.total)], ['web_share', percent(r.web_share)], ['ombuds', number(r.ombuds_referrals)],
    ['on_time', r.on_time.answered ? percent(r.on_time.on_time / r.on_time.answered) : tx('none')],
    ['answered_score', number(r.experience.answered)], ['mean_score', r.experience.mean == null ? tx('none') : number(r.experience.mean, 2)],
  ];
  const sh = r.shares;
  return h('article', { id: 'report', 'aria-labelledby': 'h-report' },
    h('header', { class: 'report-head' },
      h('h2', { id: 'h-report', class: 'print-heading' }, tx('heading', { from: dayText(r.from), to: dayText(r.to) })),
      h('p', {}, tx('subtitle', { city: S.config.city, tz: r.time_zone })),
      h('p', { id: 'report-filters' }, filters.length ? tx('filters.some', { filters: filters.join('; ') }) : tx('filters.none')),
      h('p', { class: 'report-note' }, tx('generated', { date: new Intl.DateTimeFormat(lang() + '-BE', { dateStyle: 'long', timeZone: S.config.time_zone }).format(new Date()) }))),
    h('ul', { class: 'kpis', id: 'kpis' }, kpis.map(([k, val]) => h('li', { class: 'kpi', 'data-key': k },
      h('span', { class: 'kpi__value', id: 'kpi-' + k }, val), h('span', { class: 'kpi__label' }, tx(k))))),
    summarySection(r, S.previous),
    trendSection(r, S.previous),
    countSection('channel', tx('by_channel'), CHANNELS, r.by_channel, sh.by_channel, (k) => tx('channel.' + k),
      h('p', { id: 'web-share' }, tx('web_share.text', { share: percent(r.web_share) }))),
    countSection('reporter', tx('by_reporter'), REPORTERS, r.by_reporter, sh.by_reporter, (k) => tx('reporter.' + k)),
    countSection('kind', tx('by_kind'), KINDS, r.by_kind, sh.by_kind, (k) => tx('kind.' + k)),
    countSection('route', tx('by_route'), ROUTES, r.by_route, sh.by_route, routeName),
    countSection('category', tx('by_main_category'), S.config.categories.map((c) => c.key).filter((k) => k in r.by_main_category),
      r.by_main_category, sh.by_main_category, categoryName),
    subcategorySection(r),
    districtSection(r),
    countSection('nature', tx('by_nature'), NATURES, r.by_nature, sh.by_nature, natureName),
    experienceSection(r),
    onTimeSection(r),
    answerTimeSection(r),
    outcomesSection(r),
    h('section', { class: 'report-section', id: 'sec-ombuds', 'aria-labelledby': 'h-ombuds' },
      h('h2', { id: 'h-ombuds' }, tx('ombuds.title')),
      h('p', { id: 'ombuds-text' }, tx('ombuds.text', { count: number(r.ombuds_referrals) }))),
    satisfactionSection(r),
    S.calls ? callsSection(S.calls) : null);
}

function render(focus) {
  if (!pageFrame({ bar, root, session: S.session, signOut, onSignedIn })) return;
  document.title = `${tx('title')} — O-punt`;
  root.replaceChildren(...[
    h('h1', { class: 'page-heading' }, `${tx('title')} — ${S.config.city}`),
    controls(),
    h('div', { role: 'status', class: 'status no-print', id: 'report-status' }, S.loading ? tx('loading') : ''),
    S.problem ? h('div', { class: 'problem no-print', role: 'alert', id: 'report-problem', tabindex: '-1' }, h('p', {}, S.problem)) : null,
    S.report && !S.loading ? reportView(S.report) : null,
  ].filter(Boolean));
  const target = focus && document.getElementById(focus);
  if (target) target.focus();
}

// -- actions -------------------------------------------------------------------------
function session() { return { token: S.session.token, onSignOut: signOut }; }

function signOut() {
  forgetToken();
  Object.assign(S, { session: null, report: null, previous: null, calls: null, problem: null });
  render();
}

function onSignedIn(sess) {
  S.session = sess;
  load();
}

async function load() {
  S.loading = true;
  S.problem = null;
  render();
  const qs = queryString(S.query);
  try {
    const earlier = { ...S.query, from: yearEarlier(S.query.from), to: yearEarlier(S.query.to) };
    const [report, previous, calls] = await Promise.all([
      api(session(), 'GET', '/api/v1/reports/signals?' + qs),
      // The same days a year earlier, for the trend and the summary; left out when it fails.
      api(session(), 'GET', '/api/v1/reports/signals?' + queryString(earlier)).catch(() => null),
      // The phone line's figures, when that report answers; the section is left out otherwise.
      api(session(), 'GET', `/api/v1/reports/calls?from=${encodeURIComponent(S.query.from)}&to=${encodeURIComponent(S.query.to)}`).catch(() => null),
    ]);
    S.report = report;
    S.previous = previous && typeof previous === 'object' && previous.by_month ? previous : null;
    S.calls = calls && typeof calls === 'object' && 'offered' in calls ? calls : null;
  } catch (e) {
    if (!S.session) return;
    S.report = null;
    const errs = e instanceof ApiError ? e.fieldErrors.map((x) => `${x.field}: ${x.message}`).join('; ') : '';
    S.problem = tx('failed', { detail: errs || (e instanceof ApiError ? e.problem.detail || e.message : tx('error.offline')) });
  }
  S.loading = false;
  render(S.problem ? 'report-problem' : 'h-report');
  const heading = document.getElementById('h-report');
  if (heading) heading.tabIndex = -1;
  document.body.dataset.reportReady = S.report ? queryString(S.query) : '';
}

async function downloadCSV() {
  try {
    const res = await fetch('/api/v1/reports/signals?' + queryString(S.query) + '&format=csv', {
      headers: { Authorization: 'Bearer ' + S.session.token }, cache: 'no-store', credentials: 'omit' });
    if (!res.ok) throw new Error(String(res.status));
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: `signalen-${S.query.from}-${S.query.to}.csv`, class: 'visually-hidden' }, 'CSV');
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch {
    S.problem = tx('failed', { detail: 'CSV' });
    render('report-problem');
  }
}

function setup(config) {
  S.config = config;
  const params = new URLSearchParams(location.search);
  const range = lastCalendarYear(S.config.time_zone);
  const list = (k) => (params.get(k) || '').split(',').filter(Boolean);
  S.query = { from: params.get('from') || range.from, to: params.get('to') || range.to,
    reporter: list('reporter'), route: list('route'), kind: list('kind'), channel: list('channel') };
  languageSwitch(document.getElementById('language-switch'), S.config.languages, () => render(), TEXTS);
}

startPage(root, TEXTS, { setup, onSignedIn, render: () => render() });
