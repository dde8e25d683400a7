/**
 * Go's number-to-text rules where they decide what Helm writes: sigs.k8s.io/yaml turns a YAML number that lands
 * in a string field into text with strconv.FormatFloat(f, 'g', -1, 32), so `appVersion: 1.10` becomes "1.1" and
 * `version: 1.0` becomes "1" (the float first rounds to float32).
 */

/** strconv.FormatFloat(value, 'g', -1, 32). */
export function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  const f = Math.fround(value);
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const negative = f < 0;
  const abs = Math.abs(f);
  // Shortest digits that read back as the same float32.
  let mantissa = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const text = abs.toExponential(p - 1);
    if (Math.fround(Number(text)) === abs || p === 9) {
      const [m, e] = text.split('e');
      mantissa = m.replace('.', '').replace(/0+$/, '') || '0';
      exp = Number(e);
      break;
    }
  }
  const sign = negative ? '-' : '';
  // %e when the exponent is < -4 or >= 6 (Go uses precision 6 for this choice in shortest mode).
  if (exp < -4 || exp >= 6) {
    const frac = mantissa.length > 1 ? `.${mantissa.slice(1)}` : '';
    const es = exp < 0 ? '-' : '+';
    const ed = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${mantissa[0]}${frac}e${es}${ed}`;
  }
  const dp = exp + 1; // digits before the decimal point
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${mantissa}`;
  if (dp >= mantissa.length) return `${sign}${mantissa}${'0'.repeat(dp - mantissa.length)}`;
  return `${sign}${mantissa.slice(0, dp)}.${mantissa.slice(dp)}`;
}

/** A map key as sigs.k8s.io/yaml's convertToJSONableObject spells it. */
export function formatFloatKey(value: number): string {
  const s = formatFloat32(value);
  if (s === '+Inf') return '.inf';
  if (s === '-Inf') return '-.inf';
  if (s === 'NaN') return '.nan';
  return s;
}
