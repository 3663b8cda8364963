// Server and client error codes in the reader's language. The server's own English message stays
// visible as the detail: it is what support, logs and the e2e tests match on, and it may say more
// than the code (which room, which limit).
import { t, registerMessages } from './index.js';

registerMessages('error', {
  'zh-CN': {
    BAD_REQUEST: '请求无效',
    UNKNOWN_METHOD: '服务器不支持此操作',
    UNAUTHORIZED: '登录已失效，请重新登录',
    FORBIDDEN: '您无权执行此操作',
    NOT_FOUND: '未找到所请求的内容',
    NOT_JOINED: '您尚未加入此会诊室',
    ALREADY_JOINED: '您已在此会诊室中（可能在另一窗口）',
    CONFLICT: '操作冲突，请刷新后重试',
    TOO_LARGE: '内容过大',
    RATE_LIMITED: '操作过于频繁，请稍后再试',
    MEDIA_ERROR: '音视频服务出错',
    INTERNAL: '服务器内部错误',
    NETWORK: '无法连接服务器，请检查网络',
    KICKED: '您已被移出会诊',
    MEDIA_DEVICE: '无法使用摄像头或麦克风',
    unknown: '发生错误',
    withDetail: '{text}（{detail}）',
  },
  en: {
    BAD_REQUEST: 'The request was not valid',
    UNKNOWN_METHOD: 'The server does not support this action',
    UNAUTHORIZED: 'Your session has expired; please log in again',
    FORBIDDEN: 'You are not allowed to do this',
    NOT_FOUND: 'Not found',
    NOT_JOINED: 'You have not joined this consult room',
    ALREADY_JOINED: 'You are already in this consult room (perhaps in another window)',
    CONFLICT: 'Conflicting change; refresh and try again',
    TOO_LARGE: 'Too large',
    RATE_LIMITED: 'Too many requests; please wait a moment',
    MEDIA_ERROR: 'The media server reported an error',
    INTERNAL: 'Internal server error',
    NETWORK: 'The server cannot be reached; check the network',
    KICKED: 'You were removed from the call',
    MEDIA_DEVICE: 'Camera or microphone cannot be used',
    unknown: 'Something went wrong',
    withDetail: '{text} ({detail})',
  },
});

export interface ErrorLike {
  code: string;
  message: string;
}

/** The translated sentence for a code (`headline` overrides it, e.g. a page's own wording). */
export function errorText(code: string, headline?: string): string {
  if (headline) return headline;
  const key = `error.${code}`;
  const text = t(key);
  return text === key ? t('error.unknown') : text;
}

/** `CODE: server message`, the detail shown after the translation. */
export function errorDetail(error: ErrorLike): string {
  return error.message && error.message !== error.code ? `${error.code}: ${error.message}` : error.code;
}

/**
 * One line for a failure: the translation, then the server's code and English text in brackets —
 * full-width brackets in Chinese (您无权执行此操作（FORBIDDEN: …）), plain ones in English.
 */
export function describeError(error: ErrorLike, headline?: string): string {
  const text = errorText(error.code, headline);
  const detail = errorDetail(error);
  return t('error.withDetail', { text, detail });
}
