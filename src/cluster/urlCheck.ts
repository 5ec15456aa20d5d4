import { request } from 'undici';
import { ZerodropError } from '../errors.js';
import { classifyError, classifyStatus } from '../load/index.js';

export interface UrlAnswer {
  status: number;
  ms: number;
}

/**
 * One request before anything changes: a URL that does not answer, or answers an error status, would make
 * every request of the run a failure and prove nothing about the rollout, so we stop here and
 * the cluster stays untouched.
 */
export async function checkUrlAnswers(url: string, timeoutMs = 3000): Promise<UrlAnswer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ZerodropError('bad-url', `--url ${url} is not a URL`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new ZerodropError('bad-url', `--url ${url}: only http:// and https:// are supported`);
  }
  const started = performance.now();
  try {
    const res = await request(target, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump();
    const ms = Math.round(performance.now() - started);
    // The load counts anything outside 200-399 as a dropped request, so such a URL cannot pass.
    if (classifyStatus(res.statusCode) !== undefined) {
      throw new ZerodropError(
        'url-unhealthy',
        `--url ${url} answers ${res.statusCode} before the rollout; point it at a path that answers 2xx/3xx (nothing was changed)`,
      );
    }
    return { status: res.statusCode, ms };
  } catch (err) {
    if (err instanceof ZerodropError) throw err;
    const failure = classifyError(err);
    throw new ZerodropError(
      'url-not-answering',
      `--url ${url} does not answer (${failure.code ?? failure.error}); check the address (ingress, LoadBalancer or NodePort); nothing was changed`,
      { cause: err },
    );
  }
}
