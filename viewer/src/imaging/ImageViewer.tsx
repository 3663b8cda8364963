// The reusable image viewer: series strip, toolbar, a StackViewport with overlays, cine, tag browser and
// shortcuts. The study page shows it full screen; the consult room's study panel embeds it and drives it
// through `controllerRef` (the ViewerController seam).
import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../app/services.js';
import { measurementText } from './annotations.js';
import type { ViewerController } from './controller.js';
import { describeLoadError } from './cornerstone.js';
import { exposeController, withdrawController } from './debugHook.js';
import { stringValue, TAG } from './dicomweb.js';
import { HelpPopover } from './HelpPopover.js';
import './messages.js';
import { Overlays } from './Overlays.js';
import { presetsFor, presetVoi, type WindowPreset } from './presets.js';
import { SeriesStrip } from './SeriesStrip.js';
import { StackController, type ViewSnapshot } from './StackController.js';
import { defaultFps, instanceAt, type SeriesInfo } from './studyModel.js';
import { TagBrowser } from './TagBrowser.js';
import { Toolbar, type ActionName } from './Toolbar.js';
import type { ToolName } from './tools.js';
import { useShortcuts } from './useShortcuts.js';
import { useStudySeries } from './useStudySeries.js';
import './viewer.css';

export interface ImageViewerProps {
  studyUid: string;
  controllerRef?: MutableRefObject<ViewerController | null>;
}

export function ImageViewer({ studyUid, controllerRef }: ImageViewerProps) {
  const { t } = useI18n();
  const session = useSession();
  const { load, liveVersion, resolveSeries } = useStudySeries(studyUid);
  const element = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<StackController | null>(null);
  const [view, setView] = useState<ViewSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tool, setTool] = useState<ToolName>('windowLevel');
  const [showTags, setShowTags] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [measurement, setMeasurement] = useState('');
  const resolveRef = useRef(resolveSeries);
  resolveRef.current = resolveSeries;

  const series = load.name === 'ready' ? load.series : [];
  const current = series.find((s) => s.seriesUid === view?.seriesUid) ?? null;
  const ds = current ? instanceAt(current, view?.imageIndex ?? 0)?.metadata : undefined;
  const modality = ds ? stringValue(ds, TAG.Modality) : undefined;
  const presets = presetsFor(modality);

  // One controller (rendering engine + tool group) per mounted viewer and study.
  useEffect(() => {
    if (load.name !== 'ready' || !element.current || controller) return;
    const c = new StackController(element.current, studyUid, session?.user.id ?? '', (uid) =>
      resolveRef.current(uid),
    );
    c.onView(setView);
    c.on('annotationChanged', (a) =>
      setMeasurement(
        measurementText(a.kind, a.stats, {
          mean: t('imaging.mean'),
          sd: t('imaging.sd'),
          area: t('imaging.area'),
        }),
      ),
    );
    setController(c);
    exposeController(c);
    if (controllerRef) controllerRef.current = c;
  }, [load.name]);

  useEffect(
    () => () => {
      // Only our own controller: this clean-up also runs when the first controller arrives (null → c).
      if (controllerRef && controller && controllerRef.current === controller) controllerRef.current = null;
      if (controller) withdrawController(controller);
      controller?.destroy();
    },
    [controller],
  );

  const show = (s: SeriesInfo, index = 0) => {
    if (!controller) return;
    setError(null);
    controller
      .showSeries(s, index)
      .then(() => {
        const first = s.instances[0];
        if (first && first.numberOfFrames > 1 && stringValue(first.metadata, TAG.Modality) === 'US')
          controller.playCine(defaultFps(first.metadata));
        else controller.setFps(defaultFps(first?.metadata));
      })
      .catch((err: unknown) => setError(describeLoadError(s.seriesUid, err).message));
  };

  // First image series on screen as soon as its metadata is known.
  useEffect(() => {
    if (!controller || controller.currentSeries) return;
    const first = series.find((s) => s.kind === 'image' && s.loaded && s.imageIds.length);
    if (first) show(first);
  }, [controller, series]);

  // The shown series grew (the rest of a long series after its first image, or live arrivals): extend
  // the stack in place, keeping the image, W/L and camera.
  useEffect(() => {
    const shown = controller?.currentSeries;
    if (!controller || !shown) return;
    const fresh = series.find((s) => s.seriesUid === shown.seriesUid);
    if (fresh && fresh.imageIds.length !== shown.imageIds.length) void controller.updateSeries(fresh);
  }, [series, liveVersion]);

  const chooseTool = (name: ToolName) => {
    setTool(name);
    controller?.setTool(name);
  };
  const action = (name: ActionName) => {
    if (!controller) return;
    if (name === 'rotate90') controller.rotate90();
    else if (name === 'flipH') controller.flip('horizontal');
    else if (name === 'flipV') controller.flip('vertical');
    else if (name === 'invert') controller.invert();
    else if (name === 'reset') controller.reset();
    else if (name === 'clear') {
      controller.clearAnnotations();
      setMeasurement('');
    }
  };
  const preset = (p: WindowPreset | null) => {
    if (!controller) return;
    if (p) controller.setVoi(presetVoi(p));
    else controller.reset();
  };
  const toggleCine = () => {
    if (!controller || !view) return;
    if (view.cine.playing) controller.stopCine();
    else controller.playCine();
  };

  useShortcuts(controller, {
    tool: chooseTool,
    action,
    preset: (i) => presets[i] && preset(presets[i]!),
    cine: toggleCine,
    help: () => setShowHelp((v) => !v),
  });

  // Nothing to display (an unknown study, or one with only reports/waveforms) is an end state, not "loading".
  const nothingToShow =
    load.name === 'ready' && !series.some((s) => s.kind === 'image') && series.every((s) => s.loaded);
  const state =
    load.name === 'error' || error || nothingToShow
      ? 'error'
      : view?.firstImageAt != null
        ? 'ready'
        : 'loading';
  const message =
    load.name === 'error' ? load.message : (error ?? (nothingToShow ? t('imaging.noImages') : null));

  return (
    <div className="iv">
      <SeriesStrip
        series={series}
        selected={view?.seriesUid ?? null}
        onSelect={(s) => show(s)}
        thumbnails={view?.firstImageAt != null}
      />
      <div className="iv-main">
        <Toolbar
          tool={tool}
          onTool={chooseTool}
          onAction={action}
          presets={presets}
          onPreset={preset}
          disabled={state !== 'ready' || view?.interactive === false}
        />
        <div className="iv-stage">
          <div
            className="iv-viewport"
            data-testid="image-viewport"
            data-state={state}
            data-series-uid={view?.seriesUid ?? ''}
            data-image-index={view?.imageIndex ?? 0}
            data-image-count={view?.imageCount ?? 0}
            data-loaded-count={view?.loadedCount ?? 0}
            data-window-center={view?.voi ? view.voi.windowCenter.toFixed(1) : ''}
            data-window-width={view?.voi ? view.voi.windowWidth.toFixed(1) : ''}
            data-first-image-ms={view?.firstImageAt != null ? Math.round(view.firstImageAt) : ''}
            data-all-loaded-ms={view?.allLoadedAt != null ? Math.round(view.allLoadedAt) : ''}
            ref={element}
            tabIndex={0}
            onContextMenu={(e) => e.preventDefault()}
          />
          <Overlays ds={ds} view={view} />
          {message && (
            <p className="iv-error" data-testid="image-error" role="alert">
              {load.name === 'error' || error ? t('imaging.loadError', { message }) : message}
            </p>
          )}
          {state === 'loading' && !message && <p className="iv-loading">{t('imaging.loading')}</p>}
          {showHelp && <HelpPopover onClose={() => setShowHelp(false)} />}
          {showTags && <TagBrowser ds={ds} onClose={() => setShowTags(false)} />}
        </div>
        <div className="iv-bottom">
          {view && view.imageCount > 1 && (
            <>
              <input
                type="range"
                data-testid="stack-slider"
                disabled={!view.interactive}
                min={0}
                max={view.imageCount - 1}
                value={view.imageIndex}
                onChange={(e) => controller?.scrollTo(Number(e.target.value))}
              />
              <button
                type="button"
                data-testid="cine-play"
                disabled={!view.interactive}
                aria-pressed={view.cine.playing}
                onClick={toggleCine}
              >
                {view.cine.playing ? t('imaging.cinePause') : t('imaging.cinePlay')}
              </button>
              <label>
                {t('imaging.fps')}
                <input
                  type="number"
                  data-testid="cine-fps"
                  disabled={!view.interactive}
                  min={1}
                  max={120}
                  value={view.cine.framesPerSecond}
                  onChange={(e) => controller?.setFps(Number(e.target.value) || 1)}
                />
              </label>
            </>
          )}
          <output data-testid="measurement-value">{measurement}</output>
          <span className="iv-spacer" />
          <button type="button" data-testid="tag-browser-toggle" onClick={() => setShowTags((v) => !v)}>
            {t('imaging.tags')}
          </button>
          <button type="button" data-testid="shortcut-help-toggle" onClick={() => setShowHelp((v) => !v)}>
            ? {t('imaging.help')}
          </button>
        </div>
      </div>
    </div>
  );
}
