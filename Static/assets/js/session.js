// Signing in on the staff pages (desk, agent console, back office, department inbox, report):
// one token per browser tab, kept in sessionStorage under one key and checked with
// GET /api/v1/session. Each page shows its own sign-in form in its own texts; what a
// token may do is the service's rule, the roles here only decide which page it opens.
// (The kiosk's device token is another thing: localStorage, `opunt.kiosk.token`.)
import { getSession, ApiError } from './api.js';

export const TOKEN_KEY = 'opunt.staff.token';

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

/**
 * Checks `token` and keeps it for this tab when its role is one of `roles`.
 * @returns {Promise<{session: object} | {error: 'empty' | 'role' | 'token' | 'offline'}>}
 *   the session (with its token), or why not; on any error the kept token is forgotten.
 */
export async function openSession(token, roles) {
  if (!token) return { error: 'empty' };
  try {
    const s = await getSession(token);
    if (!roles.includes(s.role)) {
      forgetToken();
      return { error: 'role' };
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    return { session: { ...s, token } };
  } catch (e) {
    forgetToken();
    return { error: e instanceof ApiError ? 'token' : 'offline' };
  }
}
