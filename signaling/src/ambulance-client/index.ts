// Store-and-forward telemetry for ambulance senders (the crew page, the simulator): an outbox that
// numbers and journals every sample, journals for the browser and for tests, and the sender that
// delivers the outbox over Socket.IO. Browser-safe; the viewer imports it as
// `@telemed/signaling/ambulance-client`.
export {
  TelemetryOutbox,
  SampleValidationError,
  zeroAcks,
  type AnySample,
  type SampleInput,
  type JournalEntry,
  type JournalState,
  type OutboxJournal,
  type AcceptedListener,
} from './outbox.js';
export { MemoryJournal } from './memory-journal.js';
export { IndexedDbJournal, type IndexedDbJournalOptions } from './indexeddb-journal.js';
export {
  socketTransport,
  type SocketLike,
  type TelemetryTransport,
  type TelemetryMethod,
  type TelemetryRequests,
} from './transport.js';
export {
  TelemetrySender,
  type SenderOptions,
  type SenderStatus,
  type SenderErrorListener,
} from './sender.js';
