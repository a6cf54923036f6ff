// Turns a stored target (plus its secret) into what a request needs: the pprof base URL,
// headers with auth, the CA bundle, and the timeout rule.
import { constants as fsConstants, promises as fs } from 'node:fs';
import { LiveError } from './errors';
import type { ConnectionOptions } from './http-client';
import type { StoredTarget } from './target-types';

export interface TargetConnection {
  /** Base URL + pprof prefix, without a trailing slash. */
  pprofBase: string;
  conn: ConnectionOptions;
  /** A user-set timeout in seconds, or null for the default rule. */
  timeoutSeconds: number | null;
}

export type ConnectionSettings = Pick<
  StoredTarget,
  'baseUrl' | 'pathPrefix' | 'headers' | 'auth' | 'tls' | 'timeoutSeconds'
>;

export async function resolveConnection(
  t: ConnectionSettings,
  secret: string | undefined,
  headerSecrets: Record<string, string> = {},
): Promise<TargetConnection> {
  const headers: Record<string, string> = {};
  for (const h of t.headers) {
    if (!h.secret) {
      headers[h.name] = h.value;
      continue;
    }
    const v = headerSecrets[h.name];
    if (v === undefined)
      throw new LiveError(
        'config',
        `the secret header ${h.name} has no stored value: enter it in the target settings`,
      );
    headers[h.name] = v;
  }
  if (t.auth.type === 'bearer') {
    if (!secret)
      throw new LiveError(
        'config',
        'this target uses a bearer token but none is stored: enter it in the target settings',
      );
    headers.Authorization = `Bearer ${secret}`;
  } else if (t.auth.type === 'basic') {
    if (secret === undefined)
      throw new LiveError(
        'config',
        'this target uses basic auth but no password is stored: enter it in the target settings',
      );
    headers.Authorization = `Basic ${Buffer.from(`${t.auth.username}:${secret}`).toString('base64')}`;
  }
  const conn: ConnectionOptions = { headers, insecureSkipVerify: t.tls.skipVerify };
  if (t.tls.caFile) conn.ca = await readCaFile(t.tls.caFile);
  return {
    pprofBase: `${t.baseUrl.replace(/\/+$/, '')}${t.pathPrefix}`,
    conn,
    timeoutSeconds: t.timeoutSeconds,
  };
}

/** A CA bundle larger than this is refused (a real one is a few KiB). */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

/**
 * Reads a CA bundle: a regular file (no device, FIFO or folder) of at most 1 MiB holding a PEM
 * certificate. Every failure gives the same message, so the answer cannot be used to learn
 * whether some other path exists, is readable or is a file.
 */
export async function readCaFile(path: string): Promise<string> {
  const refused = new LiveError(
    'config',
    `the CA file ${path} is not a readable file of at most 1 MiB holding a PEM certificate (-----BEGIN CERTIFICATE-----)`,
  );
  let handle: fs.FileHandle | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_CA_FILE_BYTES) throw refused;
    const buf = Buffer.alloc(MAX_CA_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > MAX_CA_FILE_BYTES) throw refused;
    const text = buf.subarray(0, bytesRead).toString('utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw refused;
    return text;
  } catch {
    throw refused;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** `<pprofBase>/<endpoint>?<query>`; an empty endpoint gives the index page (trailing slash). */
export function endpointUrl(
  c: Pick<TargetConnection, 'pprofBase'>,
  endpoint: string,
  query: Record<string, string | number> = {},
): URL {
  const url = new URL(`${c.pprofBase}/${endpoint}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  return url;
}

/**
 * pprof's rule: 1.5 × the capture duration, or 60 s without one; the HTTP client gets 5 s
 * more for the answer to travel. A timeout the user set is used as is.
 */
export function requestTimeoutMs(
  fixedSeconds: number | null,
  durationSeconds: number | undefined,
): number {
  if (fixedSeconds !== null) return Math.round(fixedSeconds * 1000);
  const base = durationSeconds && durationSeconds > 0 ? 1.5 * durationSeconds : 60;
  return Math.round((base + 5) * 1000);
}
