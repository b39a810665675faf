import {
  FAMILY_NAMES,
  type AddressFamily,
  type MeasurementTiming,
  type TimedBy,
} from '@sockspec/records';

/** A measured value as the report shows it: what it is, its value, how it was timed, where it was read. */
export interface ShownMeasurement {
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
  readonly from?: string;
  readonly timing?: MeasurementTiming;
  /** The address family it was measured over, for a spec that runs over both. */
  readonly family?: AddressFamily;
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

const CLOCK_NAMES: Readonly<Record<TimedBy, string>> = {
  'kernel-timer': 'kernel timer',
  capture: 'capture',
  tracepoint: 'tracepoint',
  sampler: 'sampler',
};

/** `60,012 ms`, `EADDRINUSE`, `true`: numbers with thousands separators, then the unit. */
export function valueText(m: Pick<ShownMeasurement, 'value' | 'unit'>): string {
  const value = typeof m.value === 'number' ? NUMBER.format(m.value) : String(m.value);
  return m.unit === undefined ? value : `${value} ${m.unit}`;
}

/** `± 12 ms (capture → kernel timer)`: how far off a timed value can be, and the clocks of its two ends. */
export function timingText(timing: MeasurementTiming): string {
  const clocks = timing.by.map((by) => CLOCK_NAMES[by] ?? by).join(' → ');
  return `± ${NUMBER.format(timing.uncertaintyMs)} ms${clocks === '' ? '' : ` (${clocks})`}`;
}

/** `from the kernel`, `from a capture`, `from a clock`: where the value was read. */
export function fromText(from: string | undefined): string {
  if (from === undefined) return 'source not recorded';
  return from === 'kernel' ? 'from the kernel' : `from a ${from}`;
}

/** `IPv6: ` before a value measured over one family of two; nothing for a single-family value. */
export function familyText(family: AddressFamily | undefined): string {
  return family === undefined ? '' : `${FAMILY_NAMES[family]}: `;
}

/**
 * The whole line, as plain text: `TIME_WAIT length: 60,012 ms ± 12 ms (capture → kernel timer), from a clock`, led
 * by its family (`IPv6: TIME_WAIT length: ...`) where it has one.
 */
export function measurementLine(m: ShownMeasurement): string {
  const timing = m.timing === undefined ? '' : ` ${timingText(m.timing)}`;
  return `${familyText(m.family)}${m.name}: ${valueText(m)}${timing}, ${fromText(m.from)}`;
}
