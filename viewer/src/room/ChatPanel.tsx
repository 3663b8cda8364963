import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_CHAT_CHARS, type ChatMessage } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { formatTime } from '../layout/labels.js';

interface Props {
  messages: ChatMessage[];
  selfId: string | null;
  onSend(text: string): Promise<void>;
}

export function ChatPanel({ messages, selfId, onSend }: Props) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
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
      setError(ApiError.from(err).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <aside className="chat-panel" aria-label="Chat">
      <h2 className="panel-title">Chat</h2>
      <ol className="chat-list" ref={listRef} aria-live="polite">
        {messages.length === 0 && <li className="muted small chat-empty">No messages yet.</li>}
        {messages.map((m) => (
          <li
            key={m.id}
            className={m.peerId === selfId ? 'chat-message mine' : 'chat-message'}
            data-testid="chat-message"
          >
            <div className="chat-meta">
              <span className="chat-author">{m.peerId === selfId ? 'You' : m.displayName}</span>
              <time dateTime={m.sentAt}>{formatTime(m.sentAt)}</time>
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
          placeholder="Message (no patient identifiers)"
          aria-label="Chat message"
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="chat-send" disabled={sending}>
          Send
        </button>
      </form>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </aside>
  );
}
