import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT_UNIT_ID } from '../../bot/src/services/accounts/onboarding';
import { openStore } from '../../bot/src/store';
import { DataDirInUseError } from '../../bot/src/store/data-dir-lock';
import { service } from '../helpers/fixtures';
import { taskReport } from '../helpers/reports';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const run = promisify(execFile);

/** `npm run tenant -- …` against an embedded store in `dataDir`, as an operator runs it. */
async function tenantCli(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['--env-file=env/.env.local', 'scripts/tenant.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const open = (dataDir: string) =>
  openStore({ kind: 'embedded', database: 'contactcenter', dataDir, saveIntervalMs: 0 });
const TENANT = '4f3e2d1c-0b9a-4876-9543-210fedcba987';
const ADMIN = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** `create` of Fabrikam with Ada as its admin, and any further options. */
const createFabrikam = (dataDir: string, ...more: string[]) =>
  tenantCli(
    dataDir,
    'create',
    '--tenant',
    TENANT,
    '--name',
    'Fabrikam',
    '--admin',
    ADMIN,
    '--admin-name',
    'Ada Admin',
    ...more,
  );

describe('onboarding from the command line (npm run tenant)', () => {
  it('creates an organization with its admin, lists it, and refuses to create it twice', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-tenant-cli-'));
    const created = await createFabrikam(
      dataDir,
      '--admin-email',
      'Ada@Fabrikam.example',
      '--im-licenses',
      '25',
      '--privacy-url',
      'https://fabrikam.example/privacy',
    );
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining('Set up "Fabrikam"') });

    const listed = await tenantCli(dataDir, 'list');
    expect(listed.stdout).toBe(`${TENANT}\tFabrikam\tadmins: ${ADMIN}\n`);

    const again = await tenantCli(
      dataDir,
      'create',
      '--tenant',
      TENANT,
      '--name',
      'Other',
      '--admin',
      'x',
      '--admin-name',
      'X',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${TENANT} is already set up as "Fabrikam". Nothing was changed.`);

    const bad = await tenantCli(
      dataDir,
      'create',
      '--tenant',
      TENANT,
      '--name',
      'X',
      '--admin',
      ADMIN,
      '--admin-name',
      'A',
      '--im-licenses=-3',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--im-licenses must be a whole number of 0 or more');
    const unknown = await tenantCli(dataDir, 'create', '--tenant', TENANT, '--colour', 'blue');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");

    // What the server finds when it starts on this data directory.
    const store = await open(dataDir);
    try {
      expect(await store.repos.tenants.get(TENANT, TENANT)).toMatchObject({
        name: 'Fabrikam',
        adminUserIds: [ADMIN],
        privacyPolicyUrl: 'https://fabrikam.example/privacy',
        licenses: { imModality: { total: 25, assignees: [] } },
      });
      expect(await store.repos.users.get(TENANT, ADMIN)).toMatchObject({
        displayName: 'Ada Admin',
        email: 'ada@fabrikam.example',
        unitId: ROOT_UNIT_ID,
      });
    } finally {
      await store.close();
    }
  });
});

describe('rebuilding the reports from the command line', () => {
  it('recomputes the day documents of a tenant from its task reports', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-rebuild-'));
    const created = await createFabrikam(dataDir);
    expect(created.code).toBe(0);
    let store = await open(dataDir);
    try {
      await store.repos.services.create(service(TENANT, 'svc-a', { unitId: ROOT_UNIT_ID }));
      for (const [id, at] of [
        ['r1', '2026-11-02T09:00:00Z'],
        ['r2', '2026-11-03T09:00:00Z'],
      ] as const)
        await store.repos.taskReports.create({
          ...taskReport(id, { at, outcome: 'accepted', queuedMs: 4_000, talkMs: 60_000 }),
          tenantId: TENANT,
          target: { kind: 'service', serviceId: 'svc-a' },
        });
    } finally {
      await store.close();
    }

    const rebuilt = await tenantCli(dataDir, 'rebuild-reports', '--tenant', TENANT);
    expect(rebuilt).toMatchObject({ code: 0 });
    expect(rebuilt.stdout).toContain('Recomputed 2 day documents from 2 task reports');
    store = await open(dataDir);
    try {
      const days = await store.repos.reportAggregates.between(TENANT, '2026-11-01', '2026-11-30');
      expect(days.map((d) => [d.day, d.reports]).sort()).toEqual([
        ['2026-11-02', 1],
        ['2026-11-03', 1],
      ]);
    } finally {
      await store.close();
    }
    expect((await tenantCli(dataDir, 'rebuild-reports')).code).toBe(2);
    expect((await tenantCli(dataDir, 'rebuild-reports', '--tenant', 'no-such-tenant')).code).toBe(1);
  });
});

describe('one process per embedded data directory', () => {
  it('refuses a second store on a data directory in use, in this process and from another one', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-lock-'));
    const first = await open(dataDir);
    try {
      await expect(open(dataDir)).rejects.toBeInstanceOf(DataDirInUseError);
      const cli = await tenantCli(dataDir, 'list');
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`is in use by process ${process.pid}`);
    } finally {
      await first.close();
    }
    // Closed: free again.
    const second = await open(dataDir);
    await second.close();
  });

  it('takes over the lock of a process that died without closing', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-lock-stale-'));
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dataDir, 'cosmos.lock'), JSON.stringify({ pid: Number(gone.stdout) }));
    const store = await open(dataDir);
    await store.close();
  });
});
