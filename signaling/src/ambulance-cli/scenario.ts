// Clinical scenarios for rehearsal: how the patient's vitals evolve over the run. Values are
// plausible for an adult and deterministic for a given seed, so a rehearsal can be repeated. The
// heart rate is not set here: it is derived from the played ECG, whose speed `playRate` sets.

export const SCENARIOS = ['stable', 'hypoxia', 'tachy', 'hypotension'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** 0 before `start` s, 1 after `start + length` s, linear in between. */
const ramp = (t: number, start: number, length: number) => Math.min(1, Math.max(0, (t - start) / length));
const round1 = (v: number) => Math.round(v * 10) / 10;

export interface VitalsAt {
  spo2: number;
  rr: number;
  etco2: number;
  tempC: number;
  /** Systolic/diastolic the cuff would measure now. */
  sys: number;
  dia: number;
}

export class ScenarioModel {
  private readonly random: () => number;
  private walk = { spo2: 0, rr: 0, etco2: 0, sys: 0 };

  constructor(
    readonly scenario: Scenario,
    seed: number,
    /** The recording's own heart rate, to scale playback towards a target rate. */
    private readonly baseHr: number,
  ) {
    this.random = seededRandom(seed);
  }

  private noise(key: keyof ScenarioModel['walk'], step: number, limit: number): number {
    const w = this.walk[key] + (this.random() - 0.5) * step;
    this.walk[key] = Math.max(-limit, Math.min(limit, w));
    return this.walk[key];
  }

  /** ECG playback speed at `t` s into the run (1 = as recorded). */
  playRate(t: number): number {
    const target = (hr: number) => hr / this.baseHr;
    switch (this.scenario) {
      case 'tachy': // from the recording's rate to ~150/min between 20 s and 40 s
        return 1 + (target(150) - 1) * ramp(t, 20, 20);
      case 'hypoxia':
        return 1 + (target(this.baseHr * 1.25) - 1) * ramp(t, 20, 40);
      case 'hypotension':
        return 1 + (target(this.baseHr * 1.3) - 1) * ramp(t, 20, 60);
      default:
        return 1;
    }
  }

  /** Vitals at `t` s into the run (one call per second). */
  at(t: number): VitalsAt {
    const s = this.scenario;
    const spo2Base = s === 'hypoxia' ? 96 - 12 * ramp(t, 20, 30) : 97;
    const rrBase =
      s === 'hypoxia' ? 18 + 12 * ramp(t, 20, 30) : s === 'tachy' ? 18 + 4 * ramp(t, 20, 20) : 16;
    const sysBase = s === 'hypotension' ? 126 - 48 * ramp(t, 20, 40) : 128;
    return {
      spo2: Math.round(Math.min(100, spo2Base + this.noise('spo2', 0.6, 1))),
      rr: Math.round(rrBase + this.noise('rr', 0.8, 2)),
      etco2: Math.round((s === 'hypoxia' ? 38 - 8 * ramp(t, 30, 30) : 36) + this.noise('etco2', 0.8, 2)),
      tempC: round1(36.8 + 0.1 * Math.sin(t / 300)),
      sys: Math.round(sysBase + this.noise('sys', 4, 5)),
      dia: Math.round(sysBase * 0.6 + this.noise('sys', 2, 5) / 2),
    };
  }

  /** Crew events the scenario brings at `t` s (whole seconds), none carrying patient identity. */
  eventsAt(
    t: number,
  ): { kind: 'note' | 'medication' | 'procedure' | 'observation' | 'alert'; text: string }[] {
    const out: ReturnType<ScenarioModel['eventsAt']> = [];
    if (t === 0) out.push({ kind: 'note', text: 'Monitoring started (simulator)' });
    if (t === 10) out.push({ kind: 'procedure', text: '12-lead ECG acquired' });
    if (s(this.scenario, 'hypoxia') && t === 45)
      out.push({ kind: 'medication', text: 'O2 15 L/min via non-rebreather mask' });
    if (s(this.scenario, 'tachy') && t === 45)
      out.push({ kind: 'observation', text: 'Narrow-complex tachycardia on monitor' });
    if (s(this.scenario, 'hypotension') && t === 70)
      out.push({ kind: 'procedure', text: 'IV access, 500 mL crystalloid bolus' });
    if (t > 0 && t % 300 === 0)
      out.push({ kind: 'observation', text: 'Reassessment: airway patent, GCS unchanged' });
    return out;
  }
}

const s = (a: Scenario, b: Scenario) => a === b;
