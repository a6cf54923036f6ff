// Which service a gctrace line belongs to, from the text before it: kubectl --prefix
// ("[pod/orders-7d9f/orders]"), docker compose ("orders-1  | "), stern ("orders-7d9f orders"),
// logfmt fields (service=orders) or a JSON record's fields. Timestamps (kubectl
// --timestamps, syslog), stream names (CRI "stderr F") and log levels say nothing about the
// service and are dropped. Token by token, no regular expressions: linear in the prefix.

const MAX_KEY = 120;
const MONTHS = new Set([
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
]);
const NOISE = new Set([
  'stdout',
  'stderr',
  'f',
  'p',
  'i',
  'w',
  'e',
  'd',
  'info',
  'warn',
  'warning',
  'error',
  'debug',
  'trace',
  'notice',
  'fatal',
  'log',
  'msg',
  'message',
]);
const SERVICE_FIELDS = [
  'pod',
  'pod_name',
  'container',
  'container_name',
  'service',
  'service_name',
  'app',
  'application',
  'job',
];

/** A token made only of digits and the punctuation of dates and times: 2024-05-01T12:00:00.1Z, 12:00:00, 2024/05/01. */
function isTimeLike(t: string): boolean {
  let digit = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (!(
      c === 45 ||
      c === 58 ||
      c === 46 ||
      c === 84 ||
      c === 90 ||
      c === 43 ||
      c === 47 ||
      c === 44 ||
      c === 91 ||
      c === 93
    ))
      return false;
  }
  return digit;
}

function strip(t: string): string {
  let a = 0;
  let b = t.length;
  const junk = (c: string): boolean => '[]()<>|:,"\''.includes(c);
  while (a < b && junk(t[a])) a++;
  while (b > a && junk(t[b - 1])) b--;
  return t.slice(a, b);
}

/** The service named by the text before a gctrace line, '' when it names none. */
export function serviceFromPrefix(prefix: string): string {
  const kept: string[] = [];
  for (const raw of prefix.split(/[ \t]+/)) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    if (eq > 0) {
      // logfmt: keep only the fields that name a service.
      const key = raw.slice(0, eq).toLowerCase();
      const value = strip(raw.slice(eq + 1));
      if (SERVICE_FIELDS.includes(key) && value) kept.push(value);
      continue;
    }
    const t = strip(raw);
    if (t === '' || isTimeLike(t)) continue;
    const lower = t.toLowerCase();
    if (NOISE.has(lower) || MONTHS.has(lower)) continue;
    kept.push(t);
  }
  return kept.join(' ').slice(0, MAX_KEY);
}

/** The service named by a JSON log record's fields (nested objects such as "kubernetes" included). */
export function serviceFromRecord(rec: Record<string, unknown>): string {
  const found = new Map<string, string>();
  const visit = (o: Record<string, unknown>, depth: number): void => {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string') {
        const key = k.toLowerCase();
        if (SERVICE_FIELDS.includes(key) && v && !found.has(key))
          found.set(key, v.slice(0, MAX_KEY));
      } else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 4) {
        visit(v as Record<string, unknown>, depth + 1);
      }
    }
  };
  visit(rec, 0);
  const pod = found.get('pod_name') ?? found.get('pod');
  const container = found.get('container_name') ?? found.get('container');
  const service =
    found.get('service') ??
    found.get('service_name') ??
    found.get('app') ??
    found.get('application') ??
    found.get('job');
  const parts = pod ? [pod, container] : [service, container];
  return parts
    .filter((p): p is string => !!p)
    .join('/')
    .slice(0, MAX_KEY);
}

/** Every string value of a JSON record, depth first, at most `max` of them. */
export function stringLeaves(v: unknown, max = 256): string[] {
  const out: string[] = [];
  const visit = (x: unknown, depth: number): void => {
    if (out.length >= max) return;
    if (typeof x === 'string') out.push(x);
    else if (x && typeof x === 'object' && depth < 6) {
      for (const y of Array.isArray(x) ? x : Object.values(x as Record<string, unknown>))
        visit(y, depth + 1);
    }
  };
  visit(v, 0);
  return out;
}
