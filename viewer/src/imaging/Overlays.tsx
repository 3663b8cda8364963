import { formatDicomDate, formatPersonName, useI18n } from '../i18n/index.js';
import { numberValue, stringValue, type DicomJsonDataset } from './dicomweb.js';
import { EXTRA_TAG } from './studyModel.js';
import type { ViewSnapshot } from './StackController.js';

function personName(ds: DicomJsonDataset | undefined): string {
  const v = ds?.[EXTRA_TAG.PatientName]?.Value?.[0] as
    { Alphabetic?: string; Ideographic?: string } | undefined;
  if (!v) return '';
  return formatPersonName([v.Alphabetic ?? '', v.Ideographic ?? ''].join('=').replace(/=$/, ''));
}

function sliceLocation(ds: DicomJsonDataset | undefined): string {
  if (!ds) return '';
  const loc = numberValue(ds, EXTRA_TAG.SliceLocation);
  if (loc !== undefined) return `${loc.toFixed(1)} mm`;
  const pos = ds[EXTRA_TAG.ImagePositionPatient]?.Value;
  const z = pos?.[2] === undefined ? undefined : Number(pos[2]);
  return z !== undefined && Number.isFinite(z) ? `z ${z.toFixed(1)} mm` : '';
}

/** The four corners over the image: who, which study, which series, where in the stack and how shown. */
export function Overlays({ ds, view }: { ds: DicomJsonDataset | undefined; view: ViewSnapshot | null }) {
  const { t } = useI18n();
  if (!view || !ds) return null;
  const seriesNo = numberValue(ds, EXTRA_TAG.SeriesNumber);
  return (
    <div className="iv-overlays" aria-hidden="true">
      <div className="iv-corner tl" data-testid="overlay-patient">
        <div>{personName(ds)}</div>
        <div>{stringValue(ds, EXTRA_TAG.PatientID)}</div>
        <div>{formatDicomDate(stringValue(ds, EXTRA_TAG.StudyDate))}</div>
        <div>{stringValue(ds, EXTRA_TAG.StudyDescription)}</div>
      </div>
      <div className="iv-corner tr">
        <div>
          {stringValue(ds, '00080060')} {seriesNo !== undefined ? `#${seriesNo}` : ''}
        </div>
        <div>{stringValue(ds, EXTRA_TAG.SeriesDescription)}</div>
      </div>
      <div className="iv-corner bl" data-testid="overlay-image">
        <div>
          {t('imaging.image')} {view.imageIndex + 1}/{view.imageCount}
        </div>
        <div>{sliceLocation(ds)}</div>
      </div>
      <div className="iv-corner br">
        {view.voi && (
          <div data-testid="overlay-wl">
            W {Math.round(view.voi.windowWidth)} L {Math.round(view.voi.windowCenter)}
          </div>
        )}
        <div>
          {t('imaging.zoom')} {view.zoom.toFixed(2)}×
        </div>
      </div>
    </div>
  );
}
