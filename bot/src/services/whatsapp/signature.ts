import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature: base64(HMAC-SHA1(auth token, the full public URL followed by every POST
 * parameter sorted by name, as name + value)).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Constant-time check of a signature against any of the URLs the request may have been sent to. */
export function validTwilioSignature(
  authToken: string,
  urls: readonly string[],
  params: Record<string, string>,
  given: string | undefined,
): boolean {
  if (!given) return false;
  const actual = Buffer.from(given);
  return urls.some((url) => {
    const expected = Buffer.from(twilioSignature(authToken, url, params));
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  });
}
