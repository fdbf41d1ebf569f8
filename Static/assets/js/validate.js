// Rules for a signal's answers, shared by the citizen form and the desk; messages are text keys.

// The service's own rules (GET /api/v1/config, `rules`): the same lengths and patterns it checks.
const whole = (pattern) => new RegExp('^(?:' + pattern + ')$', 'u');
const longest = (config, field) => config.rules.max_length[field];

/**
 * The outside body a matter may belong to: the subcategory's external_party, else the category's.
 * Returns the config's party (its name may be a map of language to text) or null.
 */
export function externalParty(config, main, sub) {
  const cat = config ? config.categories.find((c) => c.key === main) : null;
  if (!cat) return null;
  const s = sub && cat.subcategories ? cat.subcategories.find((x) => x.key === sub) : null;
  const key = (s && s.external_party) || cat.external_party;
  if (!key) return null;
  return (config.external_parties || []).find((p) => p.key === key) || { key, name: key };
}

/** Checks the named fields of answers; returns [{field, key}] in field order. */
export function validate(fields, a, config) {
  const errors = [];
  const add = (field, key) => errors.push({ field, key });
  for (const f of fields) {
    switch (f) {
      case 'kind': if (!a.kind) add(f, 'error.kind'); break;
      case 'category': if (!a.main) add(f, 'error.category'); break;
      case 'subcategory': if (a.sub == null) add(f, 'error.subcategory'); break;
      case 'description': {
        const d = (a.description || '').trim();
        if (!d) add(f, 'error.description.empty');
        else if (d.length > longest(config, 'description')) add(f, 'error.description.long');
        break;
      }
      case 'address': if ((a.address || '').length > longest(config, 'address')) add(f, 'error.address.long'); break;
      case 'contact.email': {
        const e = (a.contact.email || '').trim();
        if (e && (e.length > longest(config, 'contact.email') || !whole(config.rules.email_pattern).test(e))) add(f, 'error.email');
        break;
      }
      case 'contact.phone': {
        const p = (a.contact.phone || '').trim();
        if (p && (p.length > longest(config, 'contact.phone') || !whole(config.rules.phone_pattern).test(p)
          || p.replace(/\D/g, '').length < config.rules.phone_min_digits)) add(f, 'error.phone');
        break;
      }
      case 'consent_forward': if (externalParty(config, a.main, a.sub) && a.consent_forward == null) add(f, 'error.consent'); break;
      case 'channel': if (!a.channel) add(f, 'error.channel'); break;
      default: break;
    }
  }
  return errors;
}

/** The request body for answers (only filled-in optional fields are sent). */
export function signalBody(a, config, { withScore = true } = {}) {
  const body = { kind: a.kind, category: a.sub ? `${a.main}/${a.sub}` : a.main, description: (a.description || '').trim() };
  if ((a.address || '').trim()) body.address = a.address.trim();
  if (a.district) body.district = a.district;
  if (withScore && a.experience_score) body.experience_score = Number(a.experience_score);
  const c = a.contact || {};
  const contact = {};
  for (const k of ['name', 'email', 'phone']) if ((c[k] || '').trim()) contact[k] = c[k].trim();
  if (Object.keys(contact).length) {
    contact.language = c.language || 'nl';
    body.contact = contact;
  }
  if (externalParty(config, a.main, a.sub) && a.consent_forward != null) body.consent_forward = a.consent_forward === true || a.consent_forward === 'true';
  return body;
}

/** Answers from a signal-shaped object (a draft's answers), tolerant of missing fields. */
export function answersFrom(src = {}) {
  const [main, sub] = String(src.category || '').split('/');
  const c = src.contact || {};
  return {
    kind: src.kind || null,
    main: main || null,
    sub: sub || (main ? '' : null),
    description: src.description || '',
    address: src.address || '',
    district: src.district || '',
    experience_score: src.experience_score || null,
    contact: { name: c.name || '', email: c.email || '', phone: c.phone || '', language: c.language || '' },
    consent_forward: typeof src.consent_forward === 'boolean' ? src.consent_forward : null,
  };
}

/** Maps an API error field (e.g. "contact.email") to our field name. */
export function normaliseField(field) {
  const f = String(field || '');
  if (f === 'contact' || f.startsWith('contact.')) return ['contact.email', 'contact.phone', 'contact.name'].includes(f) ? f : 'contact.name';
  if (f === 'lat' || f === 'lon') return 'address';
  return f;
}
