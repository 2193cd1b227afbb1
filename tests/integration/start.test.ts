import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { DEMO_BANNER_URL_NAMES, runServerToExit, startServerProcess, stopServerProcesses } from '../helpers/process';

jest.setTimeout(60000);
afterEach(stopServerProcesses);

// The server's embedded Cosmos accepts only its data directory's own key.
const container = (endpoint: string, dataDir: string) =>
  new CosmosClient({
    endpoint,
    key: readFileSync(path.join(dataDir, 'cosmos-key'), 'utf8').trim(),
    connectionPolicy: { enableEndpointDiscovery: false },
  })
    .database('contactcenter')
    .container('config');

const marker = (id: string) => ({
  id,
  tenantId: 'persist-test',
  pk: 'persist-test',
  type: 'marker',
  note: `written as ${id}`,
});

describe('the server process', () => {
  it('answers /healthz, prints its URLs, and keeps data across SIGTERM and restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-start-'));
    const first = await startServerProcess({ DATA_DIR: dataDir, DATA_SAVE_INTERVAL_SECONDS: '3600' });
    expect(Object.keys(first.urls)).toEqual(DEMO_BANNER_URL_NAMES);
    const preview = await fetch(first.urls['Widget preview (Service B)']!);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('/interact/v1/widget.js');
    const health = await fetch(first.urls.Health!);
    expect(await health.json()).toEqual({ status: 'ok', store: 'embedded' });

    // The emulator's well-known key is refused by the running server.
    const wellKnownKey = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';
    const withWellKnownKey = new CosmosClient({
      endpoint: first.urls['Embedded Cosmos']!,
      key: wellKnownKey,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    await expect(
      withWellKnownKey.database('contactcenter').container('config').item('service-b', 'contoso-demo').read(),
    ).rejects.toMatchObject({ code: 401 });
    const demoBefore = (
      await container(first.urls['Embedded Cosmos']!, dataDir).item('service-b', 'contoso-demo').read()
    ).resource;
    expect(demoBefore?.name).toBe('Service B');
    await container(first.urls['Embedded Cosmos']!, dataDir).items.create(marker('sigterm'));

    first.proc.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const c = container(second.urls['Embedded Cosmos']!, dataDir);
      expect((await c.item('sigterm', 'persist-test').read()).resource?.note).toBe('written as sigterm');
      // The demo tenant is restored, not seeded again: its widget key is unchanged.
      const demoAfter = (await c.item('service-b', 'contoso-demo').read()).resource;
      expect(demoAfter?.interact.widgetKey).toBe(demoBefore?.interact.widgetKey);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  });

  it('refuses to start on bad configuration, naming every invalid variable', async () => {
    const { code, output } = await runServerToExit({ AUTH_MODE: 'local', PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration:');
    expect(output).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(output).toContain('LOG_LEVEL must be');
  });

  it('refuses to start without bot credentials outside local mode', async () => {
    const { code, output } = await runServerToExit({});
    expect(code).toBe(1);
    expect(output).toContain('BOT_ID is required when AUTH_MODE=botframework');
  });
});
