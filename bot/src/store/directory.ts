import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { z } from 'zod/v4';
import { TaskTarget } from '../core/model';
import { cosmosStatus } from './errors';
import { SYSTEM_PK, contactPartition, whatsappConnectorPartition } from './partition-keys';
import type { StoreStats } from './stats';

/**
 * The public directory: which tenant and target a snippet's contact id belongs to. A browser knows
 * only the contact id, so this is looked up before any tenant is known; it holds pointers only, and
 * everything else is then read from the tenant's own partition.
 */
export const ContactEntry = z.object({
  id: z.string().min(1),
  type: z.literal('contact'),
  tenantId: z.string().min(1),
  target: TaskTarget,
});
export type ContactEntry = z.infer<typeof ContactEntry>;

/** Which tenant a WhatsApp connector (named in its webhook URL) belongs to. */
const ConnectorEntry = z.object({
  id: z.string().min(1),
  type: z.literal('whatsappConnector'),
  tenantId: z.string().min(1),
});

const Secret = z.object({ id: z.string(), type: z.literal('secret'), value: z.string().min(32) });

export class DirectoryStore {
  /** Contact entries are written once and never change: a found one is kept (up to this many). */
  private readonly contacts = new Map<string, ContactEntry>();
  private static readonly MAX_CONTACTS = 20_000;

  constructor(
    private readonly container: Container,
    private readonly stats: StoreStats,
  ) {}

  async findContact(contactId: string): Promise<ContactEntry | undefined> {
    const known = this.contacts.get(contactId);
    if (known) {
      this.stats.cacheHits++;
      return { ...known, target: { ...known.target } };
    }
    this.stats.reads++;
    const { resource } = await this.container.item(contactId, contactPartition(contactId)).read();
    const parsed = ContactEntry.safeParse(resource);
    if (!parsed.success) return undefined;
    if (this.contacts.size >= DirectoryStore.MAX_CONTACTS) this.contacts.delete(this.contacts.keys().next().value!);
    this.contacts.set(contactId, parsed.data);
    return { ...parsed.data, target: { ...parsed.data.target } };
  }

  /** Registers a contact id; false when it is taken (ids are unique across tenants). */
  async registerContact(entry: Omit<ContactEntry, 'type'>): Promise<boolean> {
    this.stats.writes++;
    try {
      await this.container.items.create({
        ...ContactEntry.parse({ ...entry, type: 'contact' }),
        pk: contactPartition(entry.id),
      });
      return true;
    } catch (err) {
      if (cosmosStatus(err) === 409) {
        const existing = await this.findContact(entry.id);
        return (
          existing?.tenantId === entry.tenantId && JSON.stringify(existing.target) === JSON.stringify(entry.target)
        );
      }
      throw err;
    }
  }

  async findConnector(connectorId: string): Promise<string | undefined> {
    this.stats.reads++;
    const { resource } = await this.container.item(connectorId, whatsappConnectorPartition(connectorId)).read();
    const parsed = ConnectorEntry.safeParse(resource);
    return parsed.success ? parsed.data.tenantId : undefined;
  }

  async registerConnector(connectorId: string, tenantId: string): Promise<void> {
    this.stats.writes++;
    await this.container.items.upsert({
      id: connectorId,
      type: 'whatsappConnector',
      tenantId,
      pk: whatsappConnectorPartition(connectorId),
    });
  }

  /** A named secret generated once and shared by every process on this store. */
  async secret(name: string): Promise<string> {
    const read = async () => {
      const { resource } = await this.container.item(name, SYSTEM_PK).read();
      return resource ? Secret.parse(resource).value : undefined;
    };
    const existing = await read();
    if (existing) return existing;
    try {
      await this.container.items.create({
        id: name,
        type: 'secret',
        value: randomBytes(32).toString('base64url'),
        pk: SYSTEM_PK,
      });
    } catch (err) {
      if (cosmosStatus(err) !== 409) throw err;
    }
    const created = await read();
    if (!created) throw new Error(`secret ${name} could not be created`);
    return created;
  }
}
