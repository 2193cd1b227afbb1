import type { Request, Server } from 'restify';
import { SetupDone, SetupInput, type SetupStatus } from '../../contracts/setup';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { Onboarding, Signer } from '../../services/accounts/onboarding';

/**
 * Setting up an organization from the tab: the status tells the tab whether to show the setup page and
 * whether this person may fill it in; the post onboards their tenant with them as its first admin.
 */
export function registerSetupApi(
  server: Server,
  deps: { prefix: string; signer: (req: Request) => Promise<Signer>; onboarding: Onboarding },
): void {
  server.get(
    `${deps.prefix}/setup`,
    handle(async (req): Promise<SetupStatus> => deps.onboarding.status(await deps.signer(req))),
  );
  server.post(
    `${deps.prefix}/setup`,
    handle(async (req, res) => {
      const signer = await deps.signer(req);
      const input = SetupInput.parse(req.body);
      const result = await deps.onboarding.onboard(signer, input);
      if (!result.ok) {
        const { refusal } = result;
        if (refusal.code === 'already-set-up')
          throw new HttpError(409, 'already-set-up', refusal.message, { tenantName: refusal.tenantName });
        throw new HttpError(403, refusal.code, refusal.message);
      }
      res.send(201, SetupDone.parse(result.value));
    }),
  );
}
