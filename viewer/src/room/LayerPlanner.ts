import { preferredSpatialLayer, type SpatialLayer, type TileSize } from './layers.js';
import type { MediaSession } from './MediaSession.js';

const DEBOUNCE_MS = 300;

/**
 * Keeps each remote camera's simulcast layer matched to its tile. Tile resizes and roster changes
 * come in bursts (a window drag, three people joining), so requests are debounced, and
 * MediaSession only sends a layer that differs from the last one asked for.
 */
export class LayerPlanner {
  private readonly sizes = new Map<string, TileSize>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly currentMedia: () => MediaSession | null,
    /** Every camera gets this layer, whatever its size (a watcher that wants the cheapest picture). */
    private readonly fixedLayer?: SpatialLayer,
  ) {}

  setTileSize(peerId: string, size: TileSize): void {
    this.sizes.set(peerId, size);
    this.schedule();
  }

  forget(peerId: string): void {
    this.sizes.delete(peerId);
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.apply();
    }, DEBOUNCE_MS);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private apply(): void {
    const media = this.currentMedia();
    if (!media || media.isClosed) return;
    const cameras = media.consumerList().filter((c) => c.source === 'camera');
    for (const c of cameras) {
      if (this.fixedLayer !== undefined) {
        void media.setPreferredLayer(c.consumer.id, this.fixedLayer).catch(() => undefined);
        continue;
      }
      const size = this.sizes.get(c.peerId);
      if (!size) continue;
      const layer = preferredSpatialLayer(size, cameras.length, globalThis.devicePixelRatio ?? 1);
      void media.setPreferredLayer(c.consumer.id, layer).catch(() => undefined);
    }
  }
}
