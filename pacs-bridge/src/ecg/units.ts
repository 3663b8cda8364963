// Voltage units to µV. DICOM gives Channel Sensitivity Units as UCUM codes (uV, mV, V …), HL7 aECG
// gives PQ units (also UCUM), SCP-ECG always nV. Everything that is a voltage becomes µV so the
// viewer draws every source on one scale; anything else (mm[Hg] of a hemodynamic channel) is left
// in its own units.

const TO_MICROVOLT: ReadonlyMap<string, number> = new Map([
  ['V', 1e6],
  ['mV', 1e3],
  ['uV', 1],
  ['µV', 1],
  ['μV', 1], // U+03BC (Greek mu) as well as U+00B5 (micro sign): both are met in the wild
  ['nV', 1e-3],
]);

/** Factor from `unit` to µV, or undefined when `unit` is not a voltage. */
export function microvoltFactor(unit: string | undefined): number | undefined {
  if (unit === undefined) return undefined;
  return TO_MICROVOLT.get(unit.trim());
}

/** Normalised unit and scaling for a channel: voltages → µV, everything else unchanged. */
export function toMicrovolt(unit: string | undefined): { units: string; factor: number } {
  const factor = microvoltFactor(unit);
  if (factor !== undefined) return { units: 'uV', factor };
  return { units: unit?.trim() || '1', factor: 1 };
}
