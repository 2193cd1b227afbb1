import {
  DIRECTORY_SYNC_ID,
  type DirectoryChange,
  type DirectorySync,
  type SyncCounts,
  type SyncKind,
  type SyncRun,
  directoryChange,
  noCounts,
  onOrigin,
  pageEnd,
  syncRunning,
} from '../../core/directory';
import type { Tenant } from '../../core/model';
import { type Result, ok, refuse } from '../../core/result';
import { AlreadyExistsError, type Store } from '../../store';
import { UserProvisioning, displayNameOf, mailOf } from '../accounts/provisioning';
import type { IdSource } from '../ids';
import type { Clock } from '../routing/clock';
import type { GraphClient, GraphFailure } from './graph-client';
import type { GraphTokens } from './entra-tokens';

/** What one run did. */
export type SyncSummary = SyncCounts & { kind: SyncKind; groupId: string | null };

/** Where the import stands for a tenant. */
export type DirectoryStatus = {
  available: boolean;
  unavailableReason: string | null;
  running: { kind: SyncKind; groupId: string | null; startedAt: number } | null;
  incremental: boolean;
  last: SyncRun | null;
};

/** Expected refusals of an import, each with the sentence the admin reads. */
export type DirectoryRefusal =
  | { code: 'credentials-missing'; message: string }
  | { code: 'sync-running'; message: string }
  | { code: 'group-not-found'; message: string; counts: SyncCounts }
  | { code: 'sync-failed'; message: string; counts: SyncCounts };

export type DirectorySyncDeps = {
  store: Pick<Store, 'repos' | 'directory'>;
  /** Undefined when the server has no app credentials; `unavailable` says why. */
  graph: { client: GraphClient; tokens: GraphTokens } | undefined;
  unavailable: string;
  clock: Clock;
  ids: IdSource;
};

/** A round that never ends (a link that leads back to itself) stops here. */
const MAX_PAGES = 10_000;
/** Users of one page provisioned at once: a page is about 100 people, each a few point reads and writes. */
const PAGE_CONCURRENCY = 8;

/** Ends a run with a refusal; `status` is Graph's, when Graph's answer ended it. */
class Stopped extends Error {
  constructor(
    readonly refusal: DirectoryRefusal,
    readonly status?: number,
  ) {
    super(refusal.message);
  }
}

/**
 * Imports the people of a tenant's Entra ID as users, and keeps them in step: the first run reads a
 * whole delta round of /users, later runs only what changed since the stored delta link; a group
 * import reads one group's members. New people become users through UserProvisioning (no licenses,
 * the root unit); people removed or disabled in the directory become inactive, never deleted, so their
 * history stays. One run per tenant at a time (claimed on the tenant's sync document with its etag).
 * A failed run keeps the users it already wrote and the previous delta link, so the next run
 * repeats the changes it did not finish.
 */
export class DirectorySyncService {
  private readonly provisioning: UserProvisioning;

  constructor(private readonly deps: DirectorySyncDeps) {
    this.provisioning = new UserProvisioning(deps.store);
  }

  async status(tenantId: string): Promise<DirectoryStatus> {
    const state = await this.deps.store.repos.directorySync.find(tenantId, DIRECTORY_SYNC_ID);
    const reason = this.unavailableFor(tenantId);
    const running = state && syncRunning(state, this.deps.clock.now()) ? state.running : null;
    return {
      available: reason === undefined,
      unavailableReason: reason ?? null,
      running: running && { kind: running.kind, groupId: running.groupId, startedAt: running.startedAt },
      incremental: Boolean(state?.deltaLink),
      last: state?.last ?? null,
    };
  }

  /** Imports every user (or the changes since the last run), or the members of one group. */
  async sync(tenant: Tenant, request: { groupId?: string }): Promise<Result<SyncSummary, DirectoryRefusal>> {
    const reason = this.unavailableFor(tenant.id);
    if (reason !== undefined || !this.deps.graph)
      return refuse({ code: 'credentials-missing', message: reason ?? this.deps.unavailable });
    const graph = this.deps.graph.client;
    const groupId = request.groupId ?? null;
    const claimed = await this.claim(tenant.id, groupId);
    if (!claimed.ok) return claimed;
    const { runId, deltaLink } = claimed.value;
    let kind: SyncKind = groupId ? 'group' : deltaLink ? 'delta' : 'full';
    const counts = noCounts();
    const startedAt = this.deps.clock.now();
    let savedLink: string | null = null;
    try {
      if (groupId) {
        await this.round(tenant, graph.groupMembersUrl(groupId), counts, { groupId });
      } else {
        // A link of another Graph endpoint (GRAPH_URL changed) is not followed: a new round instead.
        const stored = deltaLink && onOrigin(deltaLink, graph.graphUrl) ? deltaLink : null;
        if (!stored) kind = 'full';
        try {
          savedLink = await this.round(tenant, stored ?? graph.usersDeltaUrl(), counts, { groupId: null });
        } catch (err) {
          // Graph forgets delta state after a while (410 Gone): start a new round over everyone.
          if (!(stored && err instanceof Stopped && err.status === 410)) throw err;
          kind = 'full';
          savedLink = await this.round(tenant, graph.usersDeltaUrl(), counts, { groupId: null });
        }
      }
      const summary: SyncSummary = { ...counts, kind, groupId };
      await this.finish(tenant.id, runId, { ...summary, startedAt, outcome: 'succeeded', error: null }, savedLink);
      return ok(summary);
    } catch (err) {
      const refusal: DirectoryRefusal =
        err instanceof Stopped
          ? err.refusal
          : {
              code: 'sync-failed',
              message: 'The import from Entra ID stopped because of an error on our side.',
              counts,
            };
      await this.finish(tenant.id, runId, {
        ...counts,
        kind,
        groupId,
        startedAt,
        outcome: 'failed',
        error: refusal.message.slice(0, 1000),
      });
      if (err instanceof Stopped) return refuse(refusal);
      throw err;
    }
  }

  private unavailableFor(tenantId: string): string | undefined {
    if (!this.deps.graph) return this.deps.unavailable;
    return this.deps.graph.tokens.refusalFor(tenantId);
  }

  /**
   * Reads pages from `url` until the last one, applying each page before the next is read. Returns
   * the delta link a users round ends with (a group round has none).
   */
  private async round(
    tenant: Tenant,
    url: string,
    counts: SyncCounts,
    context: { groupId: string | null },
  ): Promise<string | null> {
    const graph = this.deps.graph!.client;
    let next = url;
    for (let n = 0; n < MAX_PAGES; n++) {
      const page = await graph.usersPage(tenant.id, next);
      if (!page.ok) throw new Stopped(this.failed(page.refusal, counts, context.groupId), page.refusal.status);
      await this.apply(tenant, page.value.value.map(directoryChange), counts);
      counts.pages++;
      const end = pageEnd(page.value, graph.graphUrl);
      if (end.kind === 'next') next = end.url;
      else if (end.kind === 'delta') return context.groupId ? null : end.url;
      else if (end.kind === 'last' && context.groupId) return null;
      else
        throw new Stopped({
          code: 'sync-failed',
          message:
            end.kind === 'foreign'
              ? 'The import from Entra ID stopped: Microsoft Graph linked to another address, which is not followed.'
              : 'The import from Entra ID stopped: Microsoft Graph ended the list of users without a delta link.',
          counts,
        });
    }
    throw new Stopped({
      code: 'sync-failed',
      message: `The import from Entra ID stopped after ${MAX_PAGES} pages without reaching the end.`,
      counts,
    });
  }

  private async apply(tenant: Tenant, changes: DirectoryChange[], counts: SyncCounts): Promise<void> {
    const work = [...changes];
    const worker = async () => {
      for (let change = work.shift(); change; change = work.shift()) await this.applyOne(tenant, change, counts);
    };
    await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, work.length) }, worker));
  }

  private async applyOne(tenant: Tenant, change: DirectoryChange, counts: SyncCounts): Promise<void> {
    const users = this.deps.store.repos.users;
    if (change.kind === 'unreadable') {
      counts.skipped++;
      return;
    }
    const before = await users.find(tenant.id, change.userId);
    if (change.kind === 'gone') {
      // Someone we never imported stays unknown; someone known stays, inactive, with their history.
      if (!before) counts.skipped++;
      else if (before.active) {
        await users.update(tenant.id, change.userId, (u) => (u.active ? { ...u, active: false } : undefined));
        counts.deactivated++;
      }
      return;
    }
    const email = mailOf(change.mail, change.userPrincipalName);
    const { user, created } = await this.provisioning.ensure(tenant, {
      tenantId: tenant.id,
      userId: change.userId,
      // A delta entry without a name keeps the stored one (provisioning falls back to it).
      displayName: displayNameOf(change.displayName, before?.displayName ?? email ?? change.userId),
      email,
    });
    if (created) counts.created++;
    else if (before && user._etag !== before._etag) counts.updated++;
  }

  private failed(failure: GraphFailure, counts: SyncCounts, groupId: string | null): DirectoryRefusal {
    const stop = 'The import from Entra ID stopped';
    const done =
      counts.created + counts.updated + counts.deactivated > 0
        ? ` What was read before it stopped is saved (${counts.created} created, ${counts.updated} updated, ${counts.deactivated} made inactive).`
        : '';
    if (groupId && failure.status === 404)
      return {
        code: 'group-not-found',
        message: `There is no group ${groupId} in this organization's Entra ID.`,
        counts,
      };
    if (failure.code === 'sign-in-refused')
      return { code: 'sync-failed', message: `${stop}: ${failure.message}${done}`, counts };
    if (failure.status === 403 || failure.status === 401)
      return {
        code: 'sync-failed',
        message: `${stop}: Microsoft Graph refused to list ${groupId ? "the group's members" : 'the users'} (${failure.message}). The bot's app registration needs the application permission ${groupId ? 'GroupMember.Read.All' : 'User.Read.All'}, with admin consent.${done}`,
        counts,
      };
    if (failure.exhausted && (failure.status === 429 || failure.status === 503))
      return {
        code: 'sync-failed',
        message: `${stop}: Microsoft Graph is throttling this app (${failure.status}) and did not recover while we waited. Try again in a few minutes.${done}`,
        counts,
      };
    const status = failure.status === undefined ? '' : ` (${failure.status})`;
    return { code: 'sync-failed', message: `${stop}: ${failure.message.replace(/\.$/, '')}${status}.${done}`, counts };
  }

  /** Marks a run as under way, unless another one is (and has not been abandoned). */
  private async claim(
    tenantId: string,
    groupId: string | null,
  ): Promise<Result<{ runId: string; deltaLink: string | null }, DirectoryRefusal>> {
    const repo = this.deps.store.repos.directorySync;
    const now = this.deps.clock.now();
    const runId = this.deps.ids.uuid();
    const running = (deltaLink: string | null): NonNullable<DirectorySync['running']> => ({
      runId,
      kind: groupId ? 'group' : deltaLink ? 'delta' : 'full',
      groupId,
      startedAt: now,
    });
    const busy = refuse<DirectoryRefusal>({
      code: 'sync-running',
      message: 'An import from Entra ID is already running for this organization. Wait for it to finish.',
    });
    const existing = await repo.find(tenantId, DIRECTORY_SYNC_ID);
    if (!existing) {
      const fresh: DirectorySync = {
        id: DIRECTORY_SYNC_ID,
        tenantId,
        type: 'directorySync',
        deltaLink: null,
        running: running(null),
        last: null,
      };
      try {
        await repo.create(fresh);
        return ok({ runId, deltaLink: null });
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
        // Another first run at the same moment: decide again on its document.
      }
    }
    let won = false;
    const state = await repo.update(tenantId, DIRECTORY_SYNC_ID, (s) => {
      won = !syncRunning(s, now);
      return won ? { ...s, running: running(s.deltaLink) } : undefined;
    });
    return won ? ok({ runId, deltaLink: state.deltaLink }) : busy;
  }

  /** Records how the run ended and frees the claim; a run whose claim was taken over records nothing. */
  private async finish(
    tenantId: string,
    runId: string,
    run: Omit<SyncRun, 'finishedAt'>,
    deltaLink?: string | null,
  ): Promise<void> {
    const finishedAt = this.deps.clock.now();
    await this.deps.store.repos.directorySync.update(tenantId, DIRECTORY_SYNC_ID, (s) =>
      s.running?.runId !== runId
        ? undefined
        : {
            ...s,
            running: null,
            last: { ...run, finishedAt },
            deltaLink: deltaLink === undefined || deltaLink === null ? s.deltaLink : deltaLink,
          },
    );
  }
}
