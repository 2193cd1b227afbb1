import type { Calendar, DomainTemplate, SystemMessages } from '../../core/model';
import type { Repository, Store, Stored } from '../../store';
import type { IdSource } from '../ids';
import { type AdminResult, notFound } from './admin-result';
import { ok, refuse } from '../../core/result';
import { interactSettingsUsing, shortId, unitExists, unitNotFound } from './admin-lookups';
import type { CalendarInput, DomainTemplateInput, SystemMessagesInput } from './inputs';

type UnitOwned = { id: string; tenantId: string; type: string; name: string; unitId: string };

/** One kind of configuration item that belongs to an organization unit, as its admin page edits it. */
type UnitItemKind<T extends UnitOwned, I extends { unitId: string }> = {
  /** As the refusals name it: "The {what} was not found." */
  what: string;
  repo: Pick<Repository<T>, 'find' | 'upsert' | 'delete'> & { byName(tenantId: string): Promise<Stored<T>[]> };
  /** The document saved for an edit: tenant, type and id never come from the request body. */
  doc(id: string, tenantId: string, input: I): T;
  idPrefix: string;
  /** Who holds on to an item, and the sentences refusing to move it to another unit or delete it meanwhile. */
  inUse?: { by(tenantId: string, id: string): Promise<string[]>; move: string; remove: string };
};

/** List, save and delete of one kind of unit-owned item: its unit must exist, and an item in use stays put. */
export class UnitItemAdmin<T extends UnitOwned, I extends { unitId: string }> {
  constructor(
    private readonly store: Store,
    private readonly ids: IdSource,
    private readonly kind: UnitItemKind<T, I>,
  ) {}

  async list(tenantId: string): Promise<Stored<T>[]> {
    return this.kind.repo.byName(tenantId);
  }

  async save(tenantId: string, id: string | undefined, input: I): Promise<AdminResult<Stored<T>>> {
    const { repo } = this.kind;
    const existing = id === undefined ? undefined : await repo.find(tenantId, id);
    if (id !== undefined && !existing) return notFound(this.kind.what);
    if (!(await unitExists(this.store, tenantId, input.unitId))) return unitNotFound();
    if (existing && existing.unitId !== input.unitId) {
      const refusal = await this.refusalWhileUsed(tenantId, existing.id, 'move');
      if (refusal) return refusal;
    }
    return ok(await repo.upsert(this.kind.doc(id ?? `${this.kind.idPrefix}-${shortId(this.ids)}`, tenantId, input)));
  }

  async remove(tenantId: string, id: string): Promise<AdminResult<null>> {
    if (!(await this.kind.repo.find(tenantId, id))) return notFound(this.kind.what);
    const refusal = await this.refusalWhileUsed(tenantId, id, 'remove');
    if (refusal) return refusal;
    await this.kind.repo.delete(tenantId, id);
    return ok(null);
  }

  private async refusalWhileUsed(
    tenantId: string,
    id: string,
    change: 'move' | 'remove',
  ): Promise<AdminResult<never> | undefined> {
    const { inUse } = this.kind;
    const usedBy = inUse ? await inUse.by(tenantId, id) : [];
    return inUse && usedBy.length > 0 ? refuse({ code: 'in-use', message: inUse[change], usedBy }) : undefined;
  }
}

/** The domain templates: the websites that may reach the users and services that select them. */
export const domainTemplateAdmin = (store: Store, ids: IdSource) =>
  new UnitItemAdmin<DomainTemplate, DomainTemplateInput>(store, ids, {
    what: 'domain template',
    repo: store.repos.domainTemplates,
    doc: (id, tenantId, input) => ({ id, tenantId, type: 'domainTemplate', ...input }),
    idPrefix: 'dt',
    inUse: {
      by: (tenantId, id) => interactSettingsUsing(store, tenantId, (s) => s.domainTemplateIds.includes(id)),
      move: 'Users or services of its unit use this template: it cannot move to another unit.',
      remove: 'Remove this template from the Interact settings that use it first.',
    },
  });

/** The direct system messages that users and services select in their Interact settings. */
export const systemMessagesAdmin = (store: Store, ids: IdSource) =>
  new UnitItemAdmin<SystemMessages, SystemMessagesInput>(store, ids, {
    what: 'system messages',
    repo: store.repos.systemMessages,
    doc: (id, tenantId, input) => ({ id, tenantId, type: 'systemMessages', ...input }),
    idPrefix: 'sm',
    inUse: {
      by: (tenantId, id) => interactSettingsUsing(store, tenantId, (s) => s.directSystemMessagesId === id),
      move: 'Users or services of its unit use these messages: they cannot move to another unit.',
      remove: 'Choose other direct system messages in the Interact settings that use these first.',
    },
  });

/** The calendars (weekly hours, special days, holidays) that workflows refer to. */
export const calendarAdmin = (store: Store, ids: IdSource) =>
  new UnitItemAdmin<Calendar, CalendarInput>(store, ids, {
    what: 'calendar',
    repo: store.repos.calendars,
    doc: (id, tenantId, input) => ({ id, tenantId, type: 'calendar', ...input }),
    idPrefix: 'cal',
  });
