import { useI18n } from '../i18n/index.js';
import type { WindowPreset } from './presets.js';
import type { ToolName } from './tools.js';

export type ActionName = 'rotate90' | 'flipH' | 'flipV' | 'invert' | 'reset' | 'clear';

const TOOLS: ToolName[] = [
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
const ACTIONS: ActionName[] = ['rotate90', 'flipH', 'flipV', 'invert', 'reset', 'clear'];

export function Toolbar(props: {
  tool: ToolName;
  onTool: (tool: ToolName) => void;
  onAction: (action: ActionName) => void;
  presets: WindowPreset[];
  onPreset: (preset: WindowPreset | null) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="iv-toolbar" role="toolbar">
      <div className="iv-group">
        {TOOLS.map((name) => (
          <button
            key={name}
            type="button"
            data-testid={`tool-${name}`}
            aria-pressed={props.tool === name}
            className={props.tool === name ? 'active' : ''}
            disabled={props.disabled}
            onClick={() => props.onTool(name)}
          >
            {t(`imaging.tool.${name}`)}
          </button>
        ))}
      </div>
      <div className="iv-group">
        {ACTIONS.map((name) => (
          <button
            key={name}
            type="button"
            data-testid={`tool-${name}`}
            disabled={props.disabled}
            onClick={() => props.onAction(name)}
          >
            {t(`imaging.tool.${name}`)}
          </button>
        ))}
      </div>
      <div className="iv-group" aria-label={t('imaging.presets')}>
        <button
          type="button"
          data-testid="preset-default"
          disabled={props.disabled}
          onClick={() => props.onPreset(null)}
        >
          {t('imaging.preset.default')}
        </button>
        {props.presets.map((p, i) => (
          <button
            key={p.name}
            type="button"
            data-testid={`preset-${p.name}`}
            title={`${i + 1}: W ${p.windowWidth} / L ${p.windowCenter}`}
            disabled={props.disabled}
            onClick={() => props.onPreset(p)}
          >
            {t(`imaging.preset.${p.name}`)}
          </button>
        ))}
      </div>
    </div>
  );
}
