// The service's JSON API: requests, problem documents, and submits that survive a network blip.

/** An error answer from the service, carrying its RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && problem.title) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }
  get fieldErrors() { return Array.isArray(this.problem.errors) ? this.problem.errors : []; }
}

/** The service stayed away for the whole retry budget. */
export class Unreachable extends Error {}

/** A random UUID v4; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One request; resolves with the JSON answer, rejects with ApiError or a network TypeError. */
export async function request(method, path, { token, body, headers, timeoutMs = 15000 } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(path, {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', signal: ctrl.signal,
    });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!res.ok) {
      const ra = Number(res.headers.get('Retry-After'));
      throw new ApiError(res.status, data, Number.isFinite(ra) ? ra : 0);
    }
    return data;
  } finally {
    clearTimeout(timer);
  }
}

const TRANSIENT = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/**
 * POSTs a create request with one Idempotency-Key, retrying with exponential
 * backoff while the service is away (network error, 409 in flight, 429, 5xx)
 * for up to budgetMs. The same key and body every time: never a double.
 */
export async function createWithRetry(path, body, { token, key, onWait, budgetMs = 60000, cancelled } = {}) {
  const start = Date.now();
  let delay = 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request('POST', path, { token, body, headers: { 'Idempotency-Key': key } });
    } catch (e) {
      if (e instanceof ApiError && !TRANSIENT.has(e.status)) throw e;
      const wait = Math.max(delay, (e.retryAfter || 0) * 1000);
      if (Date.now() - start + wait > budgetMs) throw new Unreachable('service unreachable', { cause: e });
      if (onWait) onWait(attempt, e);
      await sleep(wait);
      if (cancelled && cancelled()) throw new Unreachable('cancelled');
      delay = Math.min(delay * 2, 8000);
    }
  }
}

export const getConfig = () => request('GET', '/api/v1/config');
export const getSession = (token) => request('GET', '/api/v1/session', { token });
export const createDraft = (token, answers, language) => request('POST', '/api/v1/drafts', { token, body: { answers, language } });
export const getDraft = (token, code) => request('GET', '/api/v1/drafts/' + encodeURIComponent(code), { token });

/** Loads the public config, retrying a few times so a kiosk that boots before the service still comes up. */
export async function loadConfig(tries = 30) {
  for (let i = 1; ; i++) {
    try { return await getConfig(); } catch (e) {
      if (i >= tries) throw e;
      await sleep(Math.min(1000 * i, 5000));
    }
  }
}
