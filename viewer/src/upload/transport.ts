// The browser side of the upload transport: JSON through fetch, parts through XMLHttpRequest (fetch
// cannot report upload progress). Bearer token from the session; a 401 gets one refresh and a retry.
import { auth } from '../app/services.js';
import type { Transport } from './uploader.js';

async function token(): Promise<string> {
  const t = await auth.freshAccessToken();
  if (!t) throw new Error('not logged in');
  return t;
}

async function parse(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

function xhrPut(path: string, data: Blob, bearer: string, onProgress: (sent: number) => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('Authorization', `Bearer ${bearer}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      resolve({ status: xhr.status, body });
    };
    xhr.send(data);
  });
}

export const browserTransport: Transport = {
  async json(method, path, body) {
    const send = async (bearer: string) =>
      fetch(path, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let res = await send(await token());
    if (res.status === 401 && (await auth.refresh())) res = await send(await token());
    return { status: res.status, body: await parse(res) };
  },
  async putPart(path, data, onProgress) {
    let res = await xhrPut(path, data, await token(), onProgress);
    if (res.status === 401 && (await auth.refresh()))
      res = await xhrPut(path, data, await token(), onProgress);
    return res;
  },
};
