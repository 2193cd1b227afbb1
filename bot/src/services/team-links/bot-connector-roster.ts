import { z } from 'zod/v4';
import { type Result, ok, refuse } from '../../core/result';

/** Where a team's roster is read: the Bot Connector of the team's installation. */
export type TeamAddress = { serviceUrl: string; teamId: string };

/** One person of a team as the Bot Connector names them. */
export type RosterMember = {
  /** The channel account id (`29:…`), what conversation updates name. */
  accountId: string;
  /** The Entra object id, our user id; null for accounts without one (bots, some guests). */
  aadObjectId: string | null;
  name: string | null;
  email: string | null;
  userPrincipalName: string | null;
};

/** Why a roster could not be read: the HTTP status when the connector answered, and what happened. */
export type RosterFailure = { status: number | null; message: string };

/** The team roster as the team-link service needs it; the Bot Connector's is below, tests may bring another. */
export interface TeamRosterSource {
  /** Everyone in the team, every page read; refused when the team has more than `maxMembers`. */
  members(team: TeamAddress, maxMembers: number): Promise<Result<RosterMember[], RosterFailure>>;
  /** One person of the team, by channel account id (conversation updates carry little more than that). */
  member(team: TeamAddress, accountId: string): Promise<Result<RosterMember, RosterFailure>>;
}

// The fields we read of a TeamsChannelAccount; Teams adds fields over time, so unknown ones pass.
const ChannelAccount = z.looseObject({
  id: z.string().min(1).max(300),
  name: z.string().max(300).nullish(),
  aadObjectId: z.string().max(128).nullish(),
  email: z.string().max(320).nullish(),
  userPrincipalName: z.string().max(320).nullish(),
});
// A page is read as a whole; a member entry we cannot read is skipped, not the page.
const PagedMembers = z.looseObject({
  members: z.array(z.unknown()).max(1000),
  continuationToken: z.string().max(8000).nullish(),
});

const toMember = (a: z.infer<typeof ChannelAccount>): RosterMember => ({
  accountId: a.id,
  aadObjectId: a.aadObjectId ?? null,
  name: a.name ?? null,
  email: a.email ?? null,
  userPrincipalName: a.userPrincipalName ?? null,
});

export type BotConnectorRosterOptions = {
  timeoutMs: number;
  /** The page size asked for (the connector allows 50 to 500). */
  pageSize: number;
  /** A larger answer is cut off and fails: nothing is buffered beyond this. */
  maxResponseBytes: number;
};

export const defaultRosterOptions: BotConnectorRosterOptions = {
  timeoutMs: 15_000,
  pageSize: 100,
  maxResponseBytes: 1_048_576,
};

/**
 * The Bot Connector's team members API (v3), with the bot's token: the paged roster
 * (`/v3/conversations/{teamId}/pagedmembers`) and one member (`/members/{id}`). One HTTP call per
 * page, no retries of its own: a failed read is a result, and the caller decides what to keep.
 */
export class BotConnectorRoster implements TeamRosterSource {
  private readonly options: BotConnectorRosterOptions;

  constructor(
    /** The bot's bearer token for the Bot Connector; undefined in local mode (no token is sent). */
    private readonly token: () => Promise<string | undefined>,
    options: Partial<BotConnectorRosterOptions> = {},
  ) {
    this.options = { ...defaultRosterOptions, ...options };
  }

  async members(team: TeamAddress, maxMembers: number): Promise<Result<RosterMember[], RosterFailure>> {
    const members: RosterMember[] = [];
    const seenTokens = new Set<string>();
    let continuationToken: string | undefined;
    // Every page but the last is full, so this many pages hold more than `maxMembers`.
    const maxPages = Math.ceil(maxMembers / this.options.pageSize) + 1;
    for (let page = 1; page <= maxPages; page++) {
      const query = new URLSearchParams({ pageSize: String(this.options.pageSize) });
      if (continuationToken) query.set('continuationToken', continuationToken);
      const answer = await this.get(`${conversationUrl(team)}/pagedmembers?${query.toString()}`);
      if (!answer.ok) return answer;
      const parsed = PagedMembers.safeParse(answer.value);
      if (!parsed.success) return refuse({ status: 200, message: 'the roster page is not understood' });
      for (const entry of parsed.data.members) {
        const account = ChannelAccount.safeParse(entry);
        if (account.success) members.push(toMember(account.data));
      }
      if (members.length > maxMembers)
        return refuse({ status: null, message: `the team has more than ${maxMembers} members` });
      const next = parsed.data.continuationToken ?? undefined;
      if (!next) return ok(members);
      if (seenTokens.has(next)) return refuse({ status: 200, message: 'the roster pages repeat' });
      seenTokens.add(next);
      continuationToken = next;
    }
    return refuse({ status: null, message: `the team has more than ${maxMembers} members` });
  }

  async member(team: TeamAddress, accountId: string): Promise<Result<RosterMember, RosterFailure>> {
    const answer = await this.get(`${conversationUrl(team)}/members/${encodeURIComponent(accountId)}`);
    if (!answer.ok) return answer;
    const account = ChannelAccount.safeParse(answer.value);
    return account.success
      ? ok(toMember(account.data))
      : refuse({ status: 200, message: 'the member is not understood' });
  }

  private async get(url: string): Promise<Result<unknown, RosterFailure>> {
    let token: string | undefined;
    try {
      token = await this.token();
    } catch (err) {
      return refuse({ status: null, message: `no token for the Bot Connector: ${messageOf(err)}` });
    }
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal,
      });
    } catch (err) {
      return refuse({ status: null, message: `the Bot Connector could not be reached: ${messageOf(err)}` });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return refuse({ status: response.status, message: `the Bot Connector answered ${response.status}` });
    }
    const text = await readBounded(response, this.options.maxResponseBytes).catch((err: unknown) => ({
      failed: messageOf(err),
    }));
    if (typeof text !== 'string') return refuse({ status: response.status, message: text.failed });
    try {
      return ok(JSON.parse(text) as unknown);
    } catch {
      return refuse({ status: response.status, message: 'the Bot Connector answered something other than JSON' });
    }
  }
}

const conversationUrl = (team: TeamAddress): string =>
  `${team.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(team.teamId)}`;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The body as text, read up to `maxBytes`: a longer one is cut off and fails. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`the answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
