import { type OrgUnit, validateUnitTree } from '../../core/model';
import type { Store, Stored } from '../../store';
import type { IdSource } from '../ids';
import { type AdminResult, notFound } from './admin-result';
import { ok, refuse } from '../../core/result';
import { shortId } from './admin-lookups';
import type { UnitInput } from './inputs';

/** The organization units: one tree, and a unit is deleted only once nothing belongs to it. */
export class UnitAdmin {
  constructor(
    private readonly store: Store,
    private readonly ids: IdSource,
  ) {}

  async list(tenantId: string): Promise<Stored<OrgUnit>[]> {
    return this.store.repos.units.byName(tenantId);
  }

  async save(tenantId: string, id: string | undefined, input: UnitInput): Promise<AdminResult<Stored<OrgUnit>>> {
    const units = await this.list(tenantId);
    const current = id === undefined ? undefined : units.find((u) => u.id === id);
    if (id !== undefined && !current) return notFound('organization unit');
    if (input.supervisorUserIds) {
      const known = new Set((await this.store.repos.users.withIds(tenantId, input.supervisorUserIds)).map((u) => u.id));
      const unknown = [...new Set(input.supervisorUserIds.filter((u) => !known.has(u)))];
      if (unknown.length > 0)
        return refuse({
          code: 'invalid',
          message: 'Every supervisor must be a user of the organization.',
          problems: unknown.map((u) => ({ field: 'supervisorUserIds', message: `No user ${u}.` })),
        });
    }
    const supervisorUserIds = input.supervisorUserIds
      ? [...new Set(input.supervisorUserIds)]
      : current?.supervisorUserIds;
    const unit: OrgUnit = {
      id: id ?? `unit-${shortId(this.ids)}`,
      tenantId,
      type: 'unit',
      name: input.name,
      parentId: input.parentId,
      ...(supervisorUserIds ? { supervisorUserIds } : {}),
    };
    const problems = validateUnitTree([...units.filter((u) => u.id !== unit.id), unit]);
    if (problems.length > 0) {
      const message = problems.some((p) => p.code === 'cycle')
        ? 'A unit cannot be placed under itself or one of its own units.'
        : problems.some((p) => p.code === 'unknown-parent')
          ? 'The parent unit does not exist.'
          : 'The organization needs one top unit.';
      return refuse({ code: 'invalid', message, problems: [{ field: 'parentId', message }] });
    }
    return ok(await this.store.repos.units.upsert(unit));
  }

  async remove(tenantId: string, id: string): Promise<AdminResult<null>> {
    const unit = await this.store.repos.units.find(tenantId, id);
    if (!unit) return notFound('organization unit');
    const { repos } = this.store;
    const [children, users, services, templates, messages, calendars] = await Promise.all([
      repos.units.children(tenantId, id),
      repos.users.inUnit(tenantId, id),
      repos.services.inUnit(tenantId, id),
      repos.domainTemplates.inUnit(tenantId, id),
      repos.systemMessages.inUnit(tenantId, id),
      repos.calendars.inUnit(tenantId, id),
    ]);
    const usedBy = [
      ...children.map((c) => `unit ${c.name}`),
      ...users.map((u) => `user ${u.displayName}`),
      ...services.map((s) => `service ${s.name}`),
      ...[...templates, ...messages, ...calendars].map((c) => c.name),
    ];
    if (usedBy.length > 0)
      return refuse({ code: 'in-use', message: `Move or remove what belongs to ${unit.name} first.`, usedBy });
    await this.store.repos.units.delete(tenantId, id);
    return ok(null);
  }
}
