// Cornerstone tools: registered once per page, one tool group per mounted viewer. The primary
// button/finger drives the chosen tool; right drag zooms, middle drag pans, the wheel scrolls the stack
// and two fingers zoom, whatever is chosen, so a tablet user never needs a mode switch to navigate.
import {
  addTool,
  AngleTool,
  EllipticalROITool,
  Enums as ToolEnums,
  init as toolsInit,
  LengthTool,
  PanTool,
  PlanarRotateTool,
  ProbeTool,
  RectangleROITool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';

export type ToolName =
  | 'windowLevel'
  | 'pan'
  | 'zoom'
  | 'rotate'
  | 'stackScroll'
  | 'length'
  | 'angle'
  | 'ellipticalRoi'
  | 'rectangleRoi'
  | 'probe';

export const TOOL_CLASSES = {
  windowLevel: WindowLevelTool,
  pan: PanTool,
  zoom: ZoomTool,
  rotate: PlanarRotateTool,
  stackScroll: StackScrollTool,
  length: LengthTool,
  angle: AngleTool,
  ellipticalRoi: EllipticalROITool,
  rectangleRoi: RectangleROITool,
  probe: ProbeTool,
} as const satisfies Record<ToolName, { toolName: string }>;

export const PRIMARY_TOOLS: ToolName[] = [
  'windowLevel',
  'pan',
  'zoom',
  'rotate',
  'stackScroll',
  'length',
  'angle',
  'ellipticalRoi',
  'rectangleRoi',
  'probe',
];
export const MEASUREMENT_TOOLS: ToolName[] = ['length', 'angle', 'ellipticalRoi', 'rectangleRoi', 'probe'];

let initialised = false;

/** Must run before the first `enableElement`: tools hook their mouse/touch listeners on ELEMENT_ENABLED. */
export function ensureTools(): void {
  if (initialised) return;
  toolsInit();
  for (const cls of Object.values(TOOL_CLASSES)) addTool(cls);
  initialised = true;
}

const { MouseBindings } = ToolEnums;

/** A tool group for one viewport, with `primary` on the left button / one finger. */
export function createToolGroup(
  groupId: string,
  viewportId: string,
  renderingEngineId: string,
  primary: ToolName,
): ToolTypes.IToolGroup {
  ensureTools();
  ToolGroupManager.destroyToolGroup(groupId);
  const group = ToolGroupManager.createToolGroup(groupId);
  if (!group) throw new Error(`tool group ${groupId} could not be created`);
  for (const cls of Object.values(TOOL_CLASSES)) group.addTool(cls.toolName);
  group.addViewport(viewportId, renderingEngineId);
  setPrimaryTool(group, primary);
  return group;
}

/** Makes `tool` the left-button tool; the secondary bindings stay. Measurements already drawn stay visible. */
export function setPrimaryTool(group: ToolTypes.IToolGroup, tool: ToolName): void {
  for (const name of PRIMARY_TOOLS) {
    const toolName = TOOL_CLASSES[name].toolName;
    if (MEASUREMENT_TOOLS.includes(name)) group.setToolPassive(toolName);
    else group.setToolDisabled(toolName);
  }
  const bindings = (name: ToolName): ToolTypes.IToolBinding[] => {
    const b: ToolTypes.IToolBinding[] = [];
    if (name === tool) b.push({ mouseButton: MouseBindings.Primary });
    if (name === 'zoom') b.push({ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 });
    if (name === 'pan') b.push({ mouseButton: MouseBindings.Auxiliary });
    if (name === 'stackScroll') b.push({ mouseButton: MouseBindings.Wheel });
    return b;
  };
  for (const name of new Set<ToolName>([tool, 'zoom', 'pan', 'stackScroll'])) {
    group.setToolActive(TOOL_CLASSES[name].toolName, { bindings: bindings(name) });
  }
}

export function destroyToolGroup(groupId: string): void {
  ToolGroupManager.destroyToolGroup(groupId);
}

export { TOOL_CLASSES as toolClasses };
