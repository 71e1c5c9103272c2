import type { Job } from '@parley/protocol';
import { ApiError } from './ApiError';

export interface UploadRequest {
  url: string;
  roomId: string;
  file: File;
  caption?: string;
  idempotencyKey: string;
  /** Called with the fraction sent, 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface UploadHandle {
  /** The accepted job (202), or an `ApiError`. */
  done: Promise<Job>;
  abort(): void;
}

/** POST /jobs as `multipart/form-data` (`type=file`, `roomId`, `caption?`, part `file`). */
export function uploadFile(request: UploadRequest): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Job>((resolve, reject) => {
    xhr.open('POST', request.url);
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Idempotency-Key', request.idempotencyKey);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) request.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && isJobAnswer(body)) {
        request.onProgress?.(1);
        resolve(body.job);
      } else {
        reject(ApiError.fromBody(xhr.status, body, xhr.getResponseHeader('Retry-After')));
      }
    };
    xhr.onerror = () => reject(new ApiError('network_error', 'The upload could not reach the server.'));
    xhr.onabort = () => reject(new ApiError('aborted', 'The upload was cancelled.'));

    const form = new FormData();
    form.append('type', 'file');
    form.append('roomId', request.roomId);
    const caption = request.caption?.trim();
    if (caption) form.append('caption', caption);
    form.append('file', request.file, request.file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

function isJobAnswer(value: unknown): value is { job: Job } {
  return typeof value === 'object' && value !== null && 'job' in value;
}
