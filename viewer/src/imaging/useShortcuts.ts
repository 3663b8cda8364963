// Keyboard shortcuts of the viewer (listed in HelpPopover). Keys typed into inputs (chat, search) are
// not shortcuts; nor is anything while a follower is not in control.
import { useEffect, useRef } from 'react';
import type { StackController } from './StackController.js';
import type { ActionName } from './Toolbar.js';
import type { ToolName } from './tools.js';

const TOOL_KEYS: Record<string, ToolName> = {
  w: 'windowLevel',
  p: 'pan',
  z: 'zoom',
  l: 'length',
  a: 'angle',
  e: 'ellipticalRoi',
  r: 'rectangleRoi',
  b: 'probe',
  s: 'stackScroll',
};
const ACTION_KEYS: Record<string, ActionName> = {
  i: 'invert',
  h: 'flipH',
  v: 'flipV',
  o: 'rotate90',
  escape: 'reset',
  '0': 'reset',
};

export interface ShortcutHandlers {
  tool: (tool: ToolName) => void;
  action: (action: ActionName) => void;
  preset: (index: number) => void;
  cine: () => void;
  help: () => void;
}

export function useShortcuts(controller: StackController | null, handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!controller) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      if (e.ctrlKey || e.metaKey || e.altKey || !controller.isInteractive) return;
      const key = e.key.toLowerCase();
      const h = ref.current;
      let handled = true;
      if (key === 'arrowdown' || key === 'arrowright' || key === 'pagedown') controller.scroll(1);
      else if (key === 'arrowup' || key === 'arrowleft' || key === 'pageup') controller.scroll(-1);
      else if (key === 'home') controller.scrollTo(0);
      else if (key === 'end') controller.scrollTo(Number.MAX_SAFE_INTEGER);
      else if (key === ' ') h.cine();
      else if (key === '?') h.help();
      else if (/^[1-9]$/.test(key)) h.preset(Number(key) - 1);
      else if (TOOL_KEYS[key]) h.tool(TOOL_KEYS[key]!);
      else if (ACTION_KEYS[key]) h.action(ACTION_KEYS[key]!);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
