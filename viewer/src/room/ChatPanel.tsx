import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_CHAT_CHARS, type ChatMessage } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { formatTime, useI18n } from '../i18n/index.js';
import { describeError, type ErrorLike } from '../i18n/errors.js';
import './messages.js';

interface Props {
  messages: ChatMessage[];
  selfId: string | null;
  onSend(text: string): Promise<void>;
}

export function ChatPanel({ messages, selfId, onSend }: Props) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<ErrorLike | null>(null);
  const [sending, setSending] = useState(false);
  const listRef = useRef<HTMLOListElement | null>(null);

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || sending) return;
    setSending(true);
    setError(null);
    try {
      await onSend(trimmed);
      setText('');
    } catch (err) {
      const e = ApiError.from(err);
      setError({ code: e.code, message: e.message });
    } finally {
      setSending(false);
    }
  };

  return (
    <aside className="chat-panel" aria-label={t('room.chat')}>
      <h2 className="panel-title">{t('room.chat')}</h2>
      <ol className="chat-list" ref={listRef} aria-live="polite">
        {messages.length === 0 && <li className="muted small chat-empty">{t('room.chatEmpty')}</li>}
        {messages.map((m) => (
          <li
            key={m.id}
            className={m.peerId === selfId ? 'chat-message mine' : 'chat-message'}
            data-testid="chat-message"
          >
            <div className="chat-meta">
              <span className="chat-author">{m.peerId === selfId ? t('room.you') : m.displayName}</span>
              <time dateTime={m.sentAt}>{formatTime(m.sentAt, locale)}</time>
            </div>
            <p className="chat-text">{m.text}</p>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <input
          data-testid="chat-input"
          value={text}
          maxLength={MAX_CHAT_CHARS}
          placeholder={t('room.chatPlaceholder')}
          aria-label={t('room.chatLabel')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="chat-send" disabled={sending}>
          {t('room.send')}
        </button>
      </form>
      {error && (
        <p className="form-error small" role="alert">
          {describeError(error)}
        </p>
      )}
    </aside>
  );
}
