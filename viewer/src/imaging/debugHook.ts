// `window.__telemedImaging`: the mounted viewer's controller and its coordinate conversions, for
// end-to-end tests and support (read-mostly; the controller is the same seam the consult room uses).
import type { StackController } from './StackController.js';

export interface ImagingDebugHook {
  controller(): StackController | null;
  canvasToWorld(point: [number, number]): [number, number, number] | null;
  worldToImage(world: [number, number, number]): [number, number] | null;
}

declare global {
  interface Window {
    __telemedImaging?: ImagingDebugHook;
  }
}

let current: StackController | null = null;

export function exposeController(controller: StackController | null): void {
  current = controller;
  window.__telemedImaging = {
    controller: () => current,
    canvasToWorld: (p) => current?.canvasToWorld(p) ?? null,
    worldToImage: (w) => current?.worldToImage(w) ?? null,
  };
}

export function withdrawController(controller: StackController): void {
  if (current === controller) current = null;
}
