// Address suggestions and nearby signals for the forms (docs/interface.md §14). No DOM here:
// a page wires these to its own input and list, so the kiosk, the website and the desk share them.

/** Fewer characters than this ask nothing: the service answers no items below two anyway. */
export const MIN_QUERY = 2;

/**
 * A suggester for one input: call `suggest(text)` on every keystroke; `onItems(items)` gets the
 * answer to the latest text only (an older, slower answer is dropped), after `delay` ms of quiet.
 * Each item is {address, street, house_number, box, postcode, municipality, lat, lon, district}.
 */
export function addressSuggester(onItems, { delay = 150, fetchImpl = fetch } = {}) {
  let timer = null;
  let latest = 0;
  let controller = null;
  return {
    suggest(text) {
      clearTimeout(timer);
      const q = String(text ?? '').trim().slice(0, 100);
      const ticket = ++latest;
      if (q.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_QUERY) {
        onItems([]);
        return;
      }
      timer = setTimeout(async () => {
        controller?.abort();
        controller = new AbortController();
        try {
          const r = await fetchImpl(`/api/v1/addresses?q=${encodeURIComponent(q)}`, {
            credentials: 'omit', signal: controller.signal,
          });
          if (!r.ok) throw new Error('addresses: ' + r.status);
          const doc = await r.json();
          if (ticket === latest) onItems(Array.isArray(doc.items) ? doc.items : []);
        } catch (e) {
          if (e.name !== 'AbortError' && ticket === latest) onItems([]);
        }
      }, delay);
    },
    cancel() {
      clearTimeout(timer);
      controller?.abort();
      latest++;
    },
  };
}

/** What a chosen suggestion fills in a signal body: address, lat, lon and (when known) district. */
export function signalFields(item) {
  const fields = { address: item.address, lat: item.lat, lon: item.lon };
  if (item.district) fields.district = item.district;
  return fields;
}

/** Open signals of `category` near a point, without personal data: [{reference, description, distance_m, ...}]. */
export async function nearbySignals(category, lat, lon, { fetchImpl = fetch } = {}) {
  const params = new URLSearchParams({ category, lat: String(lat), lon: String(lon) });
  const r = await fetchImpl(`/api/v1/signals/nearby?${params}`, { credentials: 'omit' });
  if (!r.ok) return [];
  const doc = await r.json();
  return Array.isArray(doc.items) ? doc.items : [];
}
