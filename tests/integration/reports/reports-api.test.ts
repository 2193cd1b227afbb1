import { parse } from 'csv-parse/sync';
import type { App } from '../../../bot/src/app';
import { ReportSummary as ReportSummaryContract } from '../../../bot/src/contracts';
import type { ReportSummary } from '../../../bot/src/services/reporting/reporting-service';
import { startTestApp } from '../../helpers/app';
import { service, tenant, user } from '../../helpers/fixtures';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';
import { taskReport } from '../../helpers/reports';

let app: App;
beforeAll(async () => {
  app = await startTestApp({ DEMO_TENANT: 'false' });
});
afterAll(async () => {
  await app.close();
});

const call = (method: string, path: string, bearer: string, body?: unknown) => tabCall(app, method, path, bearer, body);
const UNIT = 'unit-1';

/**
 * A tenant with two services (Sue supervises the first), an admin and an agent, and task reports of
 * both services and of a direct contact, counted by a rebuild.
 */
async function setup() {
  const tenantId = newTenantId();
  const { store } = app;
  await store.repos.tenants.create(tenant(tenantId, { adminUserIds: ['adele'] }));
  for (const id of ['adele', 'sue', 'gary'])
    await store.repos.users.create(user(tenantId, id, { unitId: UNIT, displayName: id }));
  await store.repos.services.create(
    service(tenantId, 'svc-a', { unitId: UNIT, name: 'Alpha', supervisorUserIds: ['sue'] }),
  );
  await store.repos.services.create(service(tenantId, 'svc-b', { unitId: UNIT, name: 'Beta' }));
  const reports = [
    taskReport('r1', {
      at: '2026-11-02T09:00:00Z',
      outcome: 'accepted',
      queuedMs: 8_000,
      talkMs: 120_000,
      by: 'gary',
      target: { kind: 'service', serviceId: 'svc-a' },
    }),
    taskReport('r2', {
      at: '2026-11-02T10:00:00Z',
      outcome: 'customer-left-in-queue',
      queuedMs: 40_000,
      channel: 'whatsapp',
      target: { kind: 'service', serviceId: 'svc-a' },
    }),
    taskReport('r3', {
      at: '2026-11-03T10:00:00Z',
      outcome: 'accepted',
      queuedMs: 2_000,
      talkMs: 30_000,
      target: { kind: 'service', serviceId: 'svc-b' },
    }),
    taskReport('r4', {
      at: '2026-11-03T11:00:00Z',
      outcome: 'missed',
      queuedMs: 15_000,
      target: { kind: 'user', userId: 'gary' },
    }),
  ];
  for (const r of reports) {
    const named = { ...r, tenantId, customer: { ...r.customer, displayName: `=HYPERLINK("x","${r.id}"), "quoted"` } };
    await store.repos.taskReports.create(named);
  }
  const [adele, sue, gary] = await Promise.all(['adele', 'sue', 'gary'].map((u) => devSignIn(app, tenantId, u)));
  const rebuild = await call('POST', '/reports/rebuild', adele!);
  expect(rebuild.status).toBe(200);
  expect(await rebuild.json()).toEqual({ documents: 3, reports: 4, removed: 0 });
  return { tenantId, adele: adele!, sue: sue!, gary: gary! };
}

const RANGE = '?from=2026-11-01&to=2026-11-30';
const summary = async (bearer: string, query = RANGE) => {
  const res = await call('GET', `/reports/summary${query}`, bearer);
  return { status: res.status, body: (await res.json()) as ReportSummary & { error?: { code: string } } };
};

describe('reports API', () => {
  it('gives an admin the whole tenant: both services, direct contacts, by day and agent', async () => {
    const { adele } = await setup();
    const { status, body } = await summary(adele);
    expect(status).toBe(200);
    expect(body.timeZone).toBe('UTC');
    expect(body.services.map((s) => s.name)).toEqual(['Alpha', 'Beta']);
    expect(body.includesDirect).toBe(true);
    expect(body.totals.all.tasks).toBe(4);
    expect(body.totals.whatsapp.tasks).toBe(1);
    expect(body.days.map((d) => [d.day, d.all.tasks])).toEqual([
      ['2026-11-02', 2],
      ['2026-11-03', 2],
    ]);
    expect(body.byService.map((s) => [s.name, s.kpis.all.tasks, s.kpis.all.reachability])).toEqual([
      ['Alpha', 2, 0.5],
      ['Beta', 1, 1],
    ]);
    expect(body.direct!.all.outcomes['not-handled']).toBe(1);
    // By the hour they arrived: 09:00 one task, 10:00 two (one of them on WhatsApp), 11:00 one.
    expect(body.hours).toHaveLength(24);
    expect(body.hours.filter((h) => h.all.tasks > 0).map((h) => [h.hour, h.all.tasks, h.whatsapp.tasks])).toEqual([
      ['09', 1, 0],
      ['10', 2, 1],
      ['11', 1, 0],
    ]);
    expect(body.agents.find((a) => a.userId === 'gary')).toMatchObject({ handled: 1, connectedTimeMsAvg: 120_000 });
    expect(body.documentsRead).toBe(3);
    // The answer is what the tab parses it with.
    expect(ReportSummaryContract.safeParse(body).success).toBe(true);
    expect(body.agents.find((a) => a.userId === 'gary')!.displayName).toBe('gary');
  });

  it('gives a supervisor their services only, and refuses the others, agents and other tenants', async () => {
    const { sue, gary } = await setup();
    const mine = await summary(sue);
    expect(mine.status).toBe(200);
    expect(mine.body.services.map((s) => s.id)).toEqual(['svc-a']);
    expect(mine.body.includesDirect).toBe(false);
    expect(mine.body.totals.all.tasks).toBe(2);
    expect(mine.body.direct).toBeNull();

    // The tab offers the Reports section to supervisors, not to agents.
    const me = async (bearer: string) =>
      ((await (await call('GET', '/me', bearer)).json()) as { reports: boolean }).reports;
    expect([await me(sue), await me(gary)]).toEqual([true, false]);

    const other = await summary(sue, `${RANGE}&serviceId=svc-b`);
    expect([other.status, other.body.error?.code]).toEqual([403, 'forbidden']);
    expect((await summary(gary)).status).toBe(403);
    expect((await call('GET', `/reports/tasks.csv${RANGE}`, gary)).status).toBe(403);
    expect((await call('POST', '/reports/rebuild', sue)).status).toBe(403);

    // An admin of another tenant reads their own (empty) tenant; the service id names nothing there.
    const elsewhere = newTenantId();
    await app.store.repos.tenants.create(tenant(elsewhere, { adminUserIds: ['eve'] }));
    await app.store.repos.users.create(user(elsewhere, 'eve', { unitId: UNIT }));
    const eve = await devSignIn(app, elsewhere, 'eve');
    const theirs = await summary(eve);
    expect([theirs.status, theirs.body.totals.all.tasks, theirs.body.documentsRead]).toEqual([200, 0, 0]);
    expect((await summary(eve, `${RANGE}&serviceId=svc-a`)).status).toBe(404);
  });

  it('exports the rows behind a view as CSV that parses back, formulas neutralised', async () => {
    const { adele, sue } = await setup();
    const res = await call('GET', `/reports/tasks.csv${RANGE}`, adele);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tasks-2026-11-01-to-2026-11-30.csv"');
    const rows = parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.taskId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(rows[0]).toMatchObject({
      queue: 'Alpha',
      outcomeGroup: 'handled-by-user',
      queueSeconds: '8',
      localDay: '2026-11-02',
    });
    expect(rows[3]).toMatchObject({ queue: 'Direct: gary', outcome: 'missed' });
    expect(rows[0]!.customer).toBe(`'=HYPERLINK("x","r1"), "quoted"`);

    const supervised = await call('GET', `/reports/tasks.csv${RANGE}`, sue);
    const theirs = parse((await supervised.text()).replace(/^\uFEFF/, ''), { columns: true }) as { taskId: string }[];
    expect(theirs.map((r) => r.taskId)).toEqual(['r1', 'r2']);
  });

  it('pages the same rows as JSON for Power BI, each once, even when many share a millisecond', async () => {
    const { tenantId, adele, sue, gary } = await setup();
    // 25 more reports of Alpha and Beta arriving at the very same instant, and 5 outside the range.
    const same = '2026-11-10T12:00:00Z';
    for (let i = 0; i < 25; i++)
      await app.store.repos.taskReports.create({
        ...taskReport(`tie-${String(i).padStart(2, '0')}`, {
          at: same,
          outcome: 'accepted',
          queuedMs: 1_000,
          talkMs: 1_000,
          target: { kind: 'service', serviceId: i % 2 ? 'svc-a' : 'svc-b' },
        }),
        tenantId,
      });
    for (let i = 0; i < 5; i++)
      await app.store.repos.taskReports.create({
        ...taskReport(`out-${i}`, { at: '2026-10-15T12:00:00Z', outcome: 'missed', queuedMs: 1_000 }),
        tenantId,
        target: { kind: 'service', serviceId: 'svc-a' },
      });
    type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
    const readAll = async (bearer: string, query: string) => {
      const rows: Record<string, unknown>[] = [];
      let url: string | undefined = `${app.baseUrl}/api/v1/reports/feed/tasks${query}`;
      let pages = 0;
      while (url) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
        expect(res.status).toBe(200);
        const page = (await res.json()) as Page;
        expect(page.value.length).toBeLessThanOrEqual(Number(new URL(url).searchParams.get('$top') ?? 500));
        rows.push(...page.value);
        url = page['@odata.nextLink'];
        if (++pages > 100) throw new Error('the feed does not end');
      }
      return { rows, pages };
    };
    for (const top of [1, 3, 7, 500]) {
      const { rows, pages } = await readAll(adele, `${RANGE}&$top=${top}`);
      const ids = rows.map((r) => r.taskId as string);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(
        ['r1', 'r2', 'r3', 'r4', ...Array.from({ length: 25 }, (_, i) => `tie-${String(i).padStart(2, '0')}`)].sort(),
      );
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(29 / top));
    }
    // The rows are the CSV's, column for column.
    const csv = parse((await (await call('GET', `/reports/tasks.csv${RANGE}`, adele)).text()).replace(/^\uFEFF/, ''), {
      columns: true,
    }) as Record<string, string>[];
    const { rows } = await readAll(adele, `${RANGE}&$top=500`);
    const r1 = rows.find((r) => r.taskId === 'r1')!;
    expect(Object.keys(r1)).toEqual(Object.keys(csv[0]!));
    expect(r1).toMatchObject({ queue: 'Alpha', queueSeconds: 8, localDay: '2026-11-02', supervised: false });
    // The raw name in JSON (no spreadsheet in between), neutralised in the CSV.
    expect(r1.customer).toBe('=HYPERLINK("x","r1"), "quoted"');

    // A supervisor pages through their service only; agents are refused; a forged token is refused.
    const theirs = await readAll(sue, `${RANGE}&$top=4`);
    expect(new Set(theirs.rows.map((r) => r.queue))).toEqual(new Set(['Alpha']));
    expect(theirs.rows).toHaveLength(2 + 12);
    expect((await call('GET', `/reports/feed/tasks${RANGE}`, gary)).status).toBe(403);
    for (const token of ['not-a-token', Buffer.from('{"q":"service-elsewhere","t":1,"id":null}').toString('base64url')])
      expect((await call('GET', `/reports/feed/tasks${RANGE}&$skiptoken=${token}`, adele)).status).toBe(400);
    expect((await call('GET', `/reports/feed/tasks${RANGE}&$top=0`, adele)).status).toBe(400);
    expect((await call('GET', `/reports/feed/tasks${RANGE}&$top=5001`, adele)).status).toBe(400);
  });

  it('refuses a period that is no period, and follows the time zone an admin sets', async () => {
    const { adele, sue } = await setup();
    for (const bad of [
      '?from=2026-11-05&to=2026-11-01',
      '?from=2025-01-01&to=2026-11-30',
      '?from=yesterday&to=2026-11-30',
      '',
    ])
      expect((await summary(adele, bad)).status).toBe(400);

    expect((await call('PUT', '/reports/time-zone', sue, { timeZone: 'Asia/Tokyo' })).status).toBe(403);
    expect((await call('PUT', '/reports/time-zone', adele, { timeZone: 'Mars/Olympus' })).status).toBe(400);
    const set = await call('PUT', '/reports/time-zone', adele, { timeZone: 'Pacific/Kiritimati' });
    expect(set.status).toBe(200);
    // UTC+14: r1 at 09:00 UTC on the 2nd is 23:00 the same day; r2 at 10:00 UTC is already the 3rd.
    const { body } = await summary(adele);
    expect(body.timeZone).toBe('Pacific/Kiritimati');
    expect(body.days.map((d) => [d.day, d.all.tasks])).toEqual([
      ['2026-11-02', 1],
      ['2026-11-03', 1],
      ['2026-11-04', 2],
    ]);
  });

  it('lets an admin name supervisors and SLA thresholds, and refuses unknown users', async () => {
    const { adele } = await setup();
    const bad = await call('PATCH', '/admin/services/svc-b', adele, { supervisorUserIds: ['nobody'] });
    expect(bad.status).toBe(400);
    const res = await call('PATCH', '/admin/services/svc-b', adele, {
      supervisorUserIds: ['sue', 'sue'],
      sla: { acceptanceSeconds: 30 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      supervisors: [{ userId: 'sue', displayName: 'sue' }],
      sla: { acceptanceSeconds: 30, hangupSeconds: 10 },
    });
    expect((await call('PATCH', '/admin/services/svc-b', adele, { sla: { acceptanceSeconds: 0 } })).status).toBe(400);
  });
});
