import type { Server } from 'restify';
import { z } from 'zod/v4';
import type { DirectoryStatus, DirectorySyncResult, RequestProblem } from '../../contracts';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { DirectorySyncService } from '../../services/directory';
import { type TabAuth, adminOf } from './auth';
import { API_PREFIX } from './routes';
import { directoryRefusalToHttp } from './tab-refusals';

const SyncInput = z
  .object({
    /** Import only this group's members (its object id); without it every user of the directory. */
    groupId: z.uuid({ message: 'The group id must be the object id of an Entra ID group (a GUID).' }).optional(),
  })
  .strict();

/** The import's request, or a 400 that says what is wrong with it. */
function syncInput(body: unknown): z.infer<typeof SyncInput> {
  const parsed = SyncInput.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i): RequestProblem => ({
    path: i.path.join('.'),
    message:
      i.code === 'unrecognized_keys'
        ? `Only groupId can be given (not ${i.keys.join(', ')}).`
        : i.path.length === 0
          ? 'The body must be a JSON object, such as {} or { "groupId": "..." }.'
          : i.message,
  }));
  throw new HttpError(400, 'invalid-request', problems[0]?.message ?? 'The request is not valid.', problems);
}

/** Importing users from Entra ID (admins only): where it stands, and a run (every user, or one group). */
export function registerDirectoryApi(
  server: Server,
  deps: { auth: TabAuth | undefined; directory: DirectorySyncService },
): void {
  const { directory } = deps;
  const admin = adminOf(deps.auth);
  const base = `${API_PREFIX}/admin/directory`;

  server.get(
    base,
    handle(async (req): Promise<DirectoryStatus> => directory.status((await admin(req)).tenantId)),
  );

  server.post(
    `${base}/sync`,
    handle(async (req): Promise<DirectorySyncResult> => {
      const p = await admin(req);
      const result = await directory.sync(p.tenant, syncInput(req.body));
      if (!result.ok) throw directoryRefusalToHttp(result.refusal);
      return result.value;
    }),
  );
}
