// Share links: the buffer and the settings, deflated and base64url-encoded in the URL
// fragment (#share=...). The fragment never reaches a server.

const PREFIX = 'share=';

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * @param {{ text: string, live: string, settings: import('./settings.js').Settings }} state
 * @returns {Promise<string>} the fragment, without '#'
 */
export async function encodeShare({ text, live, settings }) {
  const payload = {
    v: 1,
    text,
    ...(live ? { live } : {}),
    k: settings.kubernetesVersion,
    off: settings.disabled,
    u: settings.unsafeFixes,
    d: settings.withDefaults,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return PREFIX + toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
}

/**
 * @param {string} hash location.hash
 * @returns {Promise<{ text: string, live: string, settings: object } | null>} null when the
 *   fragment is not a share link; throws when it is one but cannot be read
 */
export async function decodeShare(hash) {
  const fragment = hash.replace(/^#/, '');
  if (!fragment.startsWith(PREFIX)) return null;
  const bytes = await pipe(fromBase64Url(fragment.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
  const payload = JSON.parse(new TextDecoder().decode(bytes));
  if (!payload || payload.v !== 1 || typeof payload.text !== 'string') {
    throw new Error('this share link was made by another version of the editor');
  }
  return {
    text: payload.text,
    live: typeof payload.live === 'string' ? payload.live : '',
    settings: {
      kubernetesVersion: payload.k,
      disabled: payload.off,
      unsafeFixes: payload.u,
      withDefaults: payload.d,
    },
  };
}
