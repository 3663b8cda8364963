// The logger shape the bridge needs (pino-compatible, so signaling can pass its own). Callers log
// UIDs and error codes only — never patient names or IDs.
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
