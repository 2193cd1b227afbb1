import type { Request, Response, Server } from 'restify';
import { z } from 'zod/v4';
import { Id } from '../../core/model';
import { clientAddressOf } from '../../http/client-address';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import { validTwilioSignature } from '../../services/whatsapp/signature';
import { InboundMessage, StatusCallback, type WhatsAppService } from '../../services/whatsapp/whatsapp-service';

const ConnectorParams = z.object({ connectorId: Id });
const StatusQuery = z.object({ chat: Id, seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const FormBody = z.record(z.string(), z.string());

/**
 * The URLs Twilio may have signed: the configured public URL, and, only when the request came through
 * a trusted proxy (TRUSTED_PROXIES), the one rebuilt from the host that proxy forwards. A client's own
 * Host or X-Forwarded-* headers never choose the URL a signature is checked against.
 */
function signedUrls(req: Request, publicBaseUrl: string): string[] {
  const urls = [`${new URL(publicBaseUrl).origin}${req.url}`];
  const forwardedHost = req.header('x-forwarded-host')?.split(',')[0]?.trim();
  if (clientAddressOf(req).viaTrustedProxy && forwardedHost) {
    const forwardedProto = req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'http' ? 'http' : 'https';
    urls.push(`${forwardedProto}://${forwardedHost}${req.url}`);
  }
  return [...new Set(urls)];
}

/** Twilio's webhooks (inbound messages, delivery statuses) and the media links agents open. */
export function registerWhatsAppRoutes(
  server: Server,
  deps: { whatsapp: WhatsAppService; publicBaseUrl: string },
): void {
  const { whatsapp } = deps;

  /** Finds the connector named in the URL and checks the signature; nothing is stored before this passes. */
  const verified = async (req: Request) => {
    const { connectorId } = ConnectorParams.parse(req.params);
    const connector = await whatsapp.connector(connectorId);
    if (!connector) throw new HttpError(404, 'connector-not-found', 'No such WhatsApp connection.');
    const form = FormBody.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, 'invalid-request', 'Expected a form-encoded Twilio request.');
    if (
      !validTwilioSignature(
        connector.authToken,
        signedUrls(req, deps.publicBaseUrl),
        form.data,
        req.header('x-twilio-signature'),
      )
    ) {
      throw new HttpError(403, 'invalid-signature', 'The request signature does not match.');
    }
    if (form.data.AccountSid !== undefined && form.data.AccountSid !== connector.accountSid)
      throw new HttpError(403, 'wrong-account', 'The request is for another Twilio account.');
    return { connector, form: form.data };
  };

  const twiml = (res: Response) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  };

  server.post(
    '/whatsapp/v1/webhook/:connectorId',
    handle(async (req, res) => {
      const { connector, form } = await verified(req);
      const message = InboundMessage.parse(form);
      const result = await whatsapp.inbound(connector, message, form);
      req.log.info({ result, messageSid: message.MessageSid }, 'WhatsApp inbound');
      twiml(res);
    }),
  );

  server.post(
    '/whatsapp/v1/status/:connectorId',
    handle(async (req, res) => {
      const { connector, form } = await verified(req);
      const { chat, seq } = StatusQuery.parse(req.query);
      await whatsapp.status(connector, chat, seq, StatusCallback.parse(form));
      res.send(204);
    }),
  );

  server.get(
    '/whatsapp/v1/media/:token',
    handle(async (req, res) => {
      const { token } = z.object({ token: z.string().min(1).max(2048) }).parse(req.params);
      const media = await whatsapp.fetchMedia(token);
      if (!media.ok) {
        if (media.refusal === 'invalid-link')
          throw new HttpError(404, 'invalid-link', 'This media link is not valid or has expired.');
        if (media.refusal === 'too-large')
          throw new HttpError(413, 'media-too-large', 'This file is too large to open here.');
        throw new HttpError(404, 'media-not-found', 'This media is not available any more.');
      }
      // A customer chooses what they send: only images, audio, video and PDFs open in place, and nothing
      // served here may run script on this origin (which is also the tab's).
      const inline = /^(image\/(png|jpeg|gif|webp)|audio\/|video\/|application\/pdf)/i.test(media.value.contentType);
      res.writeHead(200, {
        'content-type': media.value.contentType,
        'content-length': media.value.body.length,
        'cache-control': 'private, max-age=300',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'content-disposition': inline ? 'inline' : 'attachment',
      });
      res.end(media.value.body);
    }),
  );
}
