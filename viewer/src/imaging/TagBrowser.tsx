import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/index.js';
import type { DicomJsonDataset } from './dicomweb.js';
import { formatTag, tagRows } from './tagNames.js';

/** The WADO-RS metadata of the shown instance, searchable by tag, keyword or value. */
export function TagBrowser({ ds, onClose }: { ds: DicomJsonDataset | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const rows = useMemo(() => (ds ? tagRows(ds, query) : []), [ds, query]);
  return (
    <aside className="iv-tags" data-testid="tag-browser">
      <div className="iv-tags-head">
        <input
          type="search"
          data-testid="tag-search"
          placeholder={t('imaging.tagSearch')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="button" onClick={onClose} aria-label={t('imaging.tagClose')}>
          ×
        </button>
      </div>
      <table>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.tag}-${i}`} data-testid="tag-row">
              <td style={{ paddingLeft: `${r.depth * 12 + 4}px` }}>{formatTag(r.tag)}</td>
              <td>{r.name}</td>
              <td>{r.vr}</td>
              <td className="iv-tag-value">{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
