import type { Server } from 'restify';
import { z } from 'zod/v4';
import { E164, Id, TwilioRegion, WhatsAppConnector } from '../../core/model';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { WhatsAppConnectorService } from '../../services/admin/whatsapp-connectors';
import type { ChatService } from '../../services/chat/chat-service';
import type { WhatsAppService } from '../../services/whatsapp/whatsapp-service';
import { type TabAuth, adminOf } from './auth';
import { API_PREFIX } from './routes';

const ConnectorInput = z
  .object({
    accountSid: WhatsAppConnector.shape.accountSid,
    /** Required when the connection is created; leave out to keep the stored one. */
    authToken: WhatsAppConnector.shape.authToken.optional(),
    region: TwilioRegion.default('us1'),
    senders: z.array(z.object({ number: E164, serviceId: Id })).max(50),
    templateContentSid: WhatsAppConnector.shape.templateContentSid.default(null),
  })
  .strict();

/** WhatsApp connections (admins) and the agent's template action. The auth token is never returned. */
export function registerWhatsAppAdminApi(
  server: Server,
  deps: {
    auth: TabAuth | undefined;
    connectors: WhatsAppConnectorService;
    chats: ChatService;
    whatsapp: WhatsAppService;
    baseUrl: string;
  },
): void {
  const { connectors } = deps;
  const admin = adminOf(deps.auth);
  const view = (c: WhatsAppConnector) => ({
    id: c.id,
    accountSid: c.accountSid,
    authTokenSet: true,
    region: c.region,
    senders: c.senders,
    templateContentSid: c.templateContentSid,
    webhookUrl: `${deps.baseUrl}/whatsapp/v1/webhook/${c.id}`,
  });

  server.get(
    `${API_PREFIX}/whatsapp/connectors`,
    handle(async (req) => {
      const p = await admin(req);
      return { connectors: (await connectors.list(p.tenantId)).map(view) };
    }),
  );

  server.put(
    `${API_PREFIX}/whatsapp/connectors/:id`,
    handle(async (req, res) => {
      const p = await admin(req);
      const id = z
        .string()
        .regex(/^(new|wa-[A-Za-z0-9-]{8,64})$/)
        .parse((req.params as { id?: unknown }).id);
      const input = ConnectorInput.parse(req.body);
      const saved = await connectors.save(p.tenant, id === 'new' ? undefined : id, input);
      if (!saved.ok) {
        const { refusal } = saved;
        if (refusal.code === 'not-found') throw new HttpError(404, 'not-found', 'No such WhatsApp connection.');
        if (refusal.code === 'auth-token-required')
          throw new HttpError(400, 'invalid-request', 'The auth token is required for a new connection.', [
            { path: 'authToken', message: 'Required.' },
          ]);
        throw new HttpError(400, 'invalid-request', 'The WhatsApp connection cannot be saved.', refusal.problems);
      }
      res.send(saved.value.created ? 201 : 200, view(saved.value.connector));
    }),
  );

  server.post(
    `${API_PREFIX}/whatsapp/chats/:chatId/template`,
    handle(async (req) => {
      if (!deps.auth)
        throw new HttpError(503, 'sign-on-not-configured', 'Sign-on for the tab is not configured on this server.');
      const p = await deps.auth.authenticate(req);
      const chatId = Id.parse((req.params as { chatId?: unknown }).chatId);
      const chat = await deps.chats.get(p.tenantId, chatId);
      if (!chat || chat.agent?.userId !== p.userId) throw new HttpError(404, 'not-found', 'No such chat of yours.');
      const result = await deps.whatsapp.sendTemplate(p.tenantId, chatId);
      if (!result.ok)
        throw new HttpError(
          409,
          result.refusal,
          result.refusal === 'no-template'
            ? 'No approved template is configured for this WhatsApp connection.'
            : 'This chat cannot take a template.',
        );
      return { sent: true };
    }),
  );
}
