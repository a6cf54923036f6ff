// Value formatting exactly like pprof (internal/measurement): units, auto-scaling, labels
// such as "10ms", "1.50MB", "1.61s", percentages, and Go's %.2f / %.2g number formatting.
// Used by the CLI's text reports and by the UI.

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}

interface UnitType {
  units: Unit[];
  defaultUnit: Unit;
}

const UNIT_TYPES: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: { name: 'GCU', aliases: [], factor: 1 },
  },
];

function sniffUnit(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return ut.units.find((x) => x.aliases.includes(u));
}

/** Whether both units are known units of one kind (both memory, both time, ...). */
export function sameUnitFamily(a: string, b: string): boolean {
  return UNIT_TYPES.some((ut) => sniffUnit(ut, a) !== undefined && sniffUnit(ut, b) !== undefined);
}

function autoScale(ut: UnitType, value: number): { value: number; unit: string } | null {
  let f = 0;
  let unit = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1) {
      f = u.factor;
      unit = u.name;
    }
  }
  return f === 0 ? null : { value: value / f, unit };
}

/** Scales a value from one unit to another ("minimum"/"auto" pick a readable unit). */
export function scaleValue(
  value: number,
  fromUnit: string,
  toUnit: string,
): { value: number; unit: string } {
  if (value < 0) {
    const r = scaleValue(-value, fromUnit, toUnit);
    return { value: -r.value, unit: r.unit };
  }
  for (const ut of UNIT_TYPES) {
    const from = sniffUnit(ut, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      return autoScale(ut, v) ?? { value: v / ut.defaultUnit.factor, unit: ut.defaultUnit.name };
    }
    const to = sniffUnit(ut, toUnit);
    if (!to) return { value: v / ut.defaultUnit.factor, unit: ut.defaultUnit.name };
    return { value: v / to.factor, unit: to.name };
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return { value, unit: '' };
    default:
      return { value, unit: toUnit };
  }
}

/** A value with its unit, like pprof's ScaledLabel: "1.50MB", "10ms", "3". */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const { value: v, unit } = scaleValue(value, fromUnit, toUnit);
  let s = goFixed(v, 2);
  if (s.endsWith('.00')) s = s.slice(0, -3);
  if (s === '0' || s === '-0') return '0';
  return s + unit;
}

/** A value auto-scaled to a readable unit (pprof's measurement.Label). */
export function formatValue(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** pprof's percentage column: "14.19%", "  100%", " 0.68%", "0.0012%". */
export function percentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goFixed(ratio, 2).padStart(5)}%`;
  return `${goG(ratio, 2).padStart(5)}%`;
}

/**
 * The unit pprof's text reports print every value in (report.selectOutputUnit with the
 * default -unit=minimum): fitted to the smallest non-zero value, or to 1/100 of it when the
 * total needs a larger unit.
 */
export function outputUnit(minValue: number, total: number, sampleUnit: string): string {
  let min = minValue;
  const max = total;
  if (min === 0) min = max;
  const minUnit = scaleValue(min, sampleUnit, 'minimum').unit;
  const maxUnit = scaleValue(max, sampleUnit, 'minimum').unit;
  let unit = minUnit;
  if (minUnit !== maxUnit && min * 100 < max) {
    unit = scaleValue(100 * min, sampleUnit, 'minimum').unit;
  }
  return unit !== '' ? unit : sampleUnit;
}

// ---- Go number formatting ----------------------------------------------------------------

/** Exact x * 10^k rounded half to even (Go's strconv rounding), as a BigInt; x >= 0. */
function roundScaled(x: number, k: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expField = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = expField === 0 ? frac : frac | (1n << 52n);
  const e = expField === 0 ? -1074 : expField - 1075;
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** True when x * 10^k is within a hair of a rounding tie, where JS and Go may differ. */
function nearTie(x: number, k: number): boolean {
  const y = x * 10 ** k;
  const frac = y - Math.floor(y);
  return Math.abs(frac - 0.5) < 1e-6;
}

/** Go's fmt "%.<digits>f". */
export function goFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  if (a < 1e21 && !nearTie(a, digits)) {
    body = a.toFixed(digits);
  } else {
    const n = roundScaled(a, digits)
      .toString()
      .padStart(digits + 1, '0');
    body = digits > 0 ? `${n.slice(0, n.length - digits)}.${n.slice(n.length - digits)}` : n;
  }
  return neg ? `-${body}` : body;
}

/** Go's fmt "%.<prec>g" (shortest form: trailing zeros dropped, e-notation for tiny/huge). */
export function goG(x: number, prec: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.max(prec, 1);
  const neg = x < 0;
  const a = Math.abs(x);
  let exp = Math.floor(Math.log10(a));
  // Correct log10's rounding near powers of ten.
  if (10 ** exp > a) exp--;
  else if (10 ** (exp + 1) <= a) exp++;
  let digits = roundScaled(a, p - 1 - exp);
  if (digits >= 10n ** BigInt(p)) {
    exp++;
    digits = roundScaled(a, p - 1 - exp);
  }
  let ds = digits.toString();
  let out: string;
  if (exp < -4 || exp >= p) {
    ds = ds.replace(/0+$/, '');
    const mant = ds.length > 1 ? `${ds[0]}.${ds.slice(1)}` : ds;
    const e = Math.abs(exp).toString().padStart(2, '0');
    out = `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  } else {
    // digits * 10^(exp - p + 1)
    const shift = exp - p + 1;
    if (shift >= 0) out = ds + '0'.repeat(shift);
    else {
      const pad = ds.padStart(-shift + 1, '0');
      const int = pad.slice(0, pad.length + shift);
      const fracPart = pad.slice(pad.length + shift).replace(/0+$/, '');
      out = fracPart ? `${int}.${fracPart}` : int;
    }
  }
  return neg ? `-${out}` : out;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** pprof's "Time:" header: "2006-01-02 15:04:05 MST" in the local time zone. */
export function formatProfileTime(timeNanos: number): string {
  const d = new Date(Math.floor(timeNanos / 1e6));
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone}`;
}
