import { type Gate, serviceInteractTab, userInteractTab } from '../../core/licensing';
import {
  type InteractSettings,
  type InteractSettingsPatch,
  type RestrictAccessAvailability,
  type SettingsProblem,
  type Service,
  type Tenant,
  type User,
  applyInteractPatch,
  restrictAccessAvailability,
} from '../../core/model';
import type { Store } from '../../store';
import { newWidgetKey } from '../ids';
import { previewUrlFor, snippetFor } from '../interact/snippet';
import { domainTemplatesInReach } from './unit-domain-templates';
import { type Result, ok, refuse } from '../../core/result';

export type InteractTarget = { kind: 'user'; id: string } | { kind: 'service'; id: string };

export type InteractView = {
  target: { kind: 'user' | 'service'; id: string; name: string; unitId: string };
  /** Whether the Interact tab exists for this target (its license), with the reasons when not. */
  tab: Gate;
  settings: InteractSettings;
  snippet: string;
  previewUrl: string;
  restrictAccess: RestrictAccessAvailability;
  domainTemplates: { id: string; name: string; origins: string[] }[];
  systemMessages: { id: string; name: string }[];
};

export type SettingsRefusal =
  { code: 'not-found' } | { code: 'not-licensed'; gate: Gate } | { code: 'invalid'; problems: SettingsProblem[] };
export type SettingsResult<T> = Result<T, SettingsRefusal>;

type Loaded = { tenant: Tenant; doc: User | Service; name: string; tab: Gate };

/** The Interact tab of a user or a service: what it shows, what it may change, its snippet. */
export class InteractSettingsService {
  constructor(
    private readonly store: Store,
    private readonly baseUrl: string,
  ) {}

  private async load(tenant: Tenant, target: InteractTarget): Promise<Loaded | undefined> {
    if (target.kind === 'user') {
      const user = await this.store.repos.users.find(tenant.id, target.id);
      return user ? { tenant, doc: user, name: user.displayName, tab: userInteractTab(tenant, user) } : undefined;
    }
    const service = await this.store.repos.services.find(tenant.id, target.id);
    return service ? { tenant, doc: service, name: service.name, tab: serviceInteractTab(tenant, service) } : undefined;
  }

  private async unitOptions(tenantId: string, unitId: string) {
    const [templates, messages] = await Promise.all([
      domainTemplatesInReach(this.store, tenantId, unitId),
      this.store.repos.systemMessages.inUnit(tenantId, unitId),
    ]);
    return { templates, messages };
  }

  async view(tenant: Tenant, target: InteractTarget): Promise<SettingsResult<InteractView>> {
    const loaded = await this.load(tenant, target);
    if (!loaded) return refuse({ code: 'not-found' });
    if (!loaded.tab.allowed) return refuse({ code: 'not-licensed', gate: loaded.tab });
    return ok(await this.render(loaded, target));
  }

  async update(
    tenant: Tenant,
    target: InteractTarget,
    patch: InteractSettingsPatch,
  ): Promise<SettingsResult<InteractView>> {
    const loaded = await this.load(tenant, target);
    if (!loaded) return refuse({ code: 'not-found' });
    if (!loaded.tab.allowed) return refuse({ code: 'not-licensed', gate: loaded.tab });
    const options = await this.unitOptions(tenant.id, loaded.doc.unitId);
    const unit = {
      templateIds: options.templates.map((t) => t.id),
      systemMessagesIds: options.messages.map((m) => m.id),
    };
    let problems: SettingsProblem[] = [];
    const change = (current: InteractSettings): InteractSettings | undefined => {
      const result = applyInteractPatch(current, patch, unit);
      problems = result.ok ? [] : result.refusal;
      return result.ok ? result.value : undefined;
    };
    const updated = await this.write(tenant.id, target, change);
    if (problems.length > 0 || !updated) return refuse({ code: 'invalid', problems });
    return this.view(tenant, target);
  }

  /** A new widget key: every snippet with the old key stops working at once. */
  async regenerateKey(tenant: Tenant, target: InteractTarget): Promise<SettingsResult<InteractView>> {
    const loaded = await this.load(tenant, target);
    if (!loaded) return refuse({ code: 'not-found' });
    if (!loaded.tab.allowed) return refuse({ code: 'not-licensed', gate: loaded.tab });
    await this.write(tenant.id, target, (current) => ({ ...current, widgetKey: newWidgetKey() }));
    return this.view(tenant, target);
  }

  private async write(
    tenantId: string,
    target: InteractTarget,
    change: (current: InteractSettings) => InteractSettings | undefined,
  ): Promise<boolean> {
    let changed = false;
    if (target.kind === 'user') {
      await this.store.repos.users.update(tenantId, target.id, (u) => {
        const next = change(u.interact);
        changed = next !== undefined;
        return next ? { ...u, interact: next } : undefined;
      });
    } else {
      await this.store.repos.services.update(tenantId, target.id, (s) => {
        const next = change(s.interact);
        changed = next !== undefined;
        return next ? { ...s, interact: next } : undefined;
      });
    }
    return changed;
  }

  private async render(loaded: Loaded, target: InteractTarget): Promise<InteractView> {
    const options = await this.unitOptions(loaded.tenant.id, loaded.doc.unitId);
    const settings = loaded.doc.interact;
    return {
      target: { kind: target.kind, id: target.id, name: loaded.name, unitId: loaded.doc.unitId },
      tab: loaded.tab,
      settings,
      snippet: snippetFor(this.baseUrl, settings),
      previewUrl: previewUrlFor(this.baseUrl, settings),
      restrictAccess: restrictAccessAvailability(options.templates.length),
      domainTemplates: options.templates.map((t) => ({ id: t.id, name: t.name, origins: t.origins })),
      systemMessages: options.messages.map((m) => ({ id: m.id, name: m.name })),
    };
  }
}
