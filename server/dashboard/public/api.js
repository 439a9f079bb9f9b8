// The business API, with the signed-in key. Every failure is an ApiError with a kind the page can show.

const KEY = 'vitrine.dashboard.key';

/** Why a call failed: `unauthorized` (wrong key), `unreachable` (no server), `missing` (404), `limited`, `invalid`, `failed`. */
export class ApiError extends Error {
  constructor(kind, status, code, message) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
  }
}

/** The key kept for this tab (sessionStorage: it goes when the tab closes). */
export const storedKey = () => sessionStorage.getItem(KEY);
export const keepKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

const kindOf = (status) => (status === 401 ? 'unauthorized' : status === 404 ? 'missing' : status === 429 ? 'limited' : status === 400 || status === 409 ? 'invalid' : 'failed');

/** Calls `path` under /api/v1 with the key; JSON in, JSON (or nothing) out. */
export async function api(path, { method = 'GET', body, key = storedKey() } = {}) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError('unreachable', 0, undefined, String(err));
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) throw new ApiError('unreachable', response.status, undefined, response.statusText);
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) throw new ApiError(kindOf(response.status), response.status, data?.error?.code, data?.error?.message ?? response.statusText);
  return data;
}

/** A query string of the given values, empty ones left out. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
