import { randomUUID } from 'node:crypto';
import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import { serviceImChannel, serviceReachableByWhatsApp } from '../../core/licensing';
import { E164, Id, TwilioRegion, WhatsAppConnector } from '../../core/model';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { ChatService } from '../../services/chat/chat-service';
import type { WhatsAppService } from '../../services/whatsapp/whatsapp-service';
import type { Store } from '../../store';
import type { Principal, TabAuth } from './auth';
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
export function registerWhatsAppAdminApi(server: Server, deps: { auth: TabAuth | undefined; store: Store; chats: ChatService; whatsapp: WhatsAppService; baseUrl: string }): void {
  const { store } = deps;
  const admin = async (req: Request): Promise<Principal> => {
    if (!deps.auth) throw new HttpError(503, 'sign-on-not-configured', 'Sign-on for the tab is not configured on this server (TAB_SSO_CLIENT_ID).');
    const principal = await deps.auth.authenticate(req);
    if (!principal.isAdmin) throw new HttpError(403, 'admin-only', 'Only tenant admins can do this.');
    return principal;
  };
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
      return { connectors: (await store.repos.whatsappConnectors.query(p.tenantId)).map(view) };
    }),
  );

  server.put(
    `${API_PREFIX}/whatsapp/connectors/:id`,
    handle(async (req, res) => {
      const p = await admin(req);
      const id = z.string().regex(/^(new|wa-[A-Za-z0-9-]{8,64})$/).parse((req.params as { id?: unknown }).id);
      const input = ConnectorInput.parse(req.body);
      const existing = id === 'new' ? undefined : await store.repos.whatsappConnectors.find(p.tenantId, id);
      if (id !== 'new' && !existing) throw new HttpError(404, 'not-found', 'No such WhatsApp connection.');
      const authToken = input.authToken ?? existing?.authToken;
      if (!authToken) throw new HttpError(400, 'invalid-request', 'The auth token is required for a new connection.', [{ path: 'authToken', message: 'Required.' }]);
      // Each number must feed a service that WhatsApp can reach, by the licensing rules.
      const problems: { path: string; message: string }[] = [];
      for (const [i, sender] of input.senders.entries()) {
        const service = await store.repos.services.find(p.tenantId, sender.serviceId);
        if (!service) {
          problems.push({ path: `senders.${i}.serviceId`, message: 'No such service.' });
          continue;
        }
        const gates = [serviceImChannel(p.tenant, service, 'whatsapp'), serviceReachableByWhatsApp(p.tenant, service)];
        const reasons = gates.flatMap((g) => (g.allowed ? [] : g.reasons.map((r) => r.message)));
        if (reasons.length > 0) problems.push({ path: `senders.${i}.serviceId`, message: `${service.name}: ${[...new Set(reasons)].join(' ')}` });
        else if (!service.im.channels.whatsapp) problems.push({ path: `senders.${i}.serviceId`, message: `${service.name}: the WhatsApp channel is switched off in its modality settings.` });
      }
      if (new Set(input.senders.map((s) => s.number)).size !== input.senders.length) problems.push({ path: 'senders', message: 'A number is listed twice.' });
      if (problems.length > 0) throw new HttpError(400, 'invalid-request', 'The WhatsApp connection cannot be saved.', problems);
      const connector = await store.repos.whatsappConnectors.upsert({
        id: existing?.id ?? `wa-${randomUUID()}`,
        tenantId: p.tenantId,
        type: 'whatsappConnector',
        accountSid: input.accountSid,
        authToken,
        region: input.region,
        senders: input.senders,
        templateContentSid: input.templateContentSid,
      });
      await store.directory.registerConnector(connector.id, p.tenantId);
      res.send(existing ? 200 : 201, view(connector));
    }),
  );

  server.post(
    `${API_PREFIX}/whatsapp/chats/:chatId/template`,
    handle(async (req) => {
      if (!deps.auth) throw new HttpError(503, 'sign-on-not-configured', 'Sign-on for the tab is not configured on this server.');
      const p = await deps.auth.authenticate(req);
      const chatId = Id.parse((req.params as { chatId?: unknown }).chatId);
      const chat = await deps.chats.get(p.tenantId, chatId);
      if (!chat || chat.agent?.userId !== p.userId) throw new HttpError(404, 'not-found', 'No such chat of yours.');
      const result = await deps.whatsapp.sendTemplate(p.tenantId, chatId);
      if (!result.ok) throw new HttpError(409, result.reason, result.reason === 'no-template' ? 'No approved template is configured for this WhatsApp connection.' : 'This chat cannot take a template.');
      return { sent: true };
    }),
  );
}
