import { useState, type FormEvent } from 'react';
import { MAX_EVENT_CHARS, type EventSample } from '@telemed/signaling/protocol';
import { useI18n, type Locale } from '../../i18n/index.js';
import './messages.js';

export type CrewEventKind = Extract<EventSample['kind'], 'medication' | 'procedure' | 'observation'>;
const KINDS: CrewEventKind[] = ['medication', 'procedure', 'observation'];

/** One tap for what a crew records most; the text stays editable. */
const PRESETS: Record<Locale, Record<CrewEventKind, string[]>> = {
  'zh-CN': {
    medication: ['阿司匹林 300 mg 嚼服', '硝酸甘油 0.5 mg 舌下', '吸氧 4 L/min', '生理盐水 500 ml 静滴'],
    procedure: ['建立静脉通路', '12 导联心电图', '心肺复苏', '除颤'],
    observation: ['意识清楚', '面色苍白、出汗', '言语不清', '疼痛评分 7/10'],
  },
  en: {
    medication: ['Aspirin 300 mg chewed', 'Nitroglycerin 0.5 mg SL', 'Oxygen 4 L/min', 'Saline 500 ml IV'],
    procedure: ['IV access', '12-lead ECG', 'CPR', 'Defibrillation'],
    observation: ['Alert, oriented', 'Pale, sweating', 'Slurred speech', 'Pain 7/10'],
  },
};

export function EventPad({ onRecord }: { onRecord(kind: CrewEventKind, text: string): Promise<void> }) {
  const { t, locale } = useI18n();
  const [kind, setKind] = useState<CrewEventKind>('medication');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setBusy(true);
    try {
      await onRecord(kind, value);
      setText('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card crew-card" onSubmit={(e) => void save(e)} data-testid="crew-events">
      <h2>{t('crew.events')}</h2>
      <div className="crew-choices" role="group">
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={k === kind ? 'btn btn-primary crew-big' : 'btn crew-big'}
            aria-pressed={k === kind}
            onClick={() => setKind(k)}
            data-testid={`crew-event-kind-${k}`}
          >
            {t(`crew.${k}`)}
          </button>
        ))}
      </div>
      <div className="crew-choices">
        {PRESETS[locale][kind].map((p, i) => (
          <button
            key={p}
            type="button"
            className="btn crew-chip"
            onClick={() => setText(p)}
            data-testid={`crew-event-preset-${i}`}
          >
            {p}
          </button>
        ))}
      </div>
      <div className="crew-row">
        <input
          aria-label={t('crew.eventText')}
          placeholder={t('crew.eventText')}
          maxLength={MAX_EVENT_CHARS}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="crew-event-text"
        />
        <button
          type="submit"
          className="btn btn-primary crew-big"
          disabled={busy || !text.trim()}
          data-testid="crew-event-save"
        >
          {t('crew.save')}
        </button>
      </div>
    </form>
  );
}
