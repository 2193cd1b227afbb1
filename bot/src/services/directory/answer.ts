import { SendFailure } from '../delivery';
import type { OutboundResult } from '../net/guarded-http';

export const ok2xx = (status: number): boolean => status >= 200 && status <= 299;

/**
 * The answer of Entra ID or Graph as the lane retries it: no answer in time or a failed exchange is a
 * SendFailure with the words given (a body over the cap is final); otherwise its status and JSON body
 * (undefined when it is not JSON) and headers.
 */
export function answerOf(
  response: OutboundResult,
  words: { timeout: string; unreachable: (detail: string) => string },
): { status: number; body: unknown; headers: Extract<OutboundResult, { kind: 'response' }>['headers'] } {
  if (response.kind === 'timeout') throw new SendFailure({ status: undefined, message: words.timeout });
  if (response.kind === 'failure')
    throw new SendFailure({
      status: response.status ?? undefined,
      message: words.unreachable(response.detail),
      final: /larger than/.test(response.detail),
    });
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    body = undefined;
  }
  return { status: response.status, body, headers: response.headers };
}
