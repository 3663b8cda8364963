// The vehicle's GPS: a straight-ish road from a start point towards the destination at a plausible,
// varying speed (faster on the open road, slowing near the town), with a little lateral wander.
import { distanceMetres, type GeoPoint } from '../protocol/ambulance.js';

const R = 6_371_000;
const rad = Math.PI / 180;

function bearingDeg(from: GeoPoint, to: GeoPoint): number {
  const y = Math.sin((to.lon - from.lon) * rad) * Math.cos(to.lat * rad);
  const x =
    Math.cos(from.lat * rad) * Math.sin(to.lat * rad) -
    Math.sin(from.lat * rad) * Math.cos(to.lat * rad) * Math.cos((to.lon - from.lon) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

function move(from: GeoPoint, bearing: number, metres: number): GeoPoint {
  const d = metres / R;
  const b = bearing * rad;
  const lat1 = from.lat * rad;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 =
    from.lon * rad +
    Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: lat2 / rad, lon: ((lon2 / rad + 540) % 360) - 180 };
}

export interface Fix {
  lat: number;
  lon: number;
  speedMps: number;
  headingDeg: number;
  accuracyM: number;
}

export class Route {
  private here: GeoPoint;
  private speed = 0;

  /** Starts `distanceM` from `destination`, on the bearing `fromBearingDeg` as seen from it. */
  constructor(
    private readonly destination: GeoPoint,
    distanceM: number,
    fromBearingDeg: number,
    private readonly random: () => number,
  ) {
    this.here = move(destination, fromBearingDeg, distanceM);
  }

  /** The fix after `dtS` more seconds of driving. */
  step(dtS: number): Fix {
    const left = distanceMetres(this.here, this.destination);
    // 60–80 km/h on the open road, down to ~25 km/h in the last kilometre, stop on arrival.
    const cruise = left > 1000 ? 17 + 5 * this.random() : 7 + 4 * this.random();
    this.speed = left < 30 ? 0 : this.speed + (cruise - this.speed) * 0.3;
    const heading = (bearingDeg(this.here, this.destination) + (this.random() - 0.5) * 16 + 360) % 360;
    if (this.speed > 0) this.here = move(this.here, heading, Math.min(left, this.speed * dtS));
    return {
      lat: Math.round(this.here.lat * 1e6) / 1e6,
      lon: Math.round(this.here.lon * 1e6) / 1e6,
      speedMps: Math.round(this.speed * 10) / 10,
      headingDeg: (Math.round(heading * 10) / 10) % 360,
      accuracyM: Math.round(4 + 6 * this.random()),
    };
  }

  get remainingM(): number {
    return distanceMetres(this.here, this.destination);
  }
}
