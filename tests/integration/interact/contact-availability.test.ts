import type { App } from '../../../bot/src/app';
import { defaultImWorkflow } from '../../../bot/src/core/workflow/default-im-workflow';
import { ManualClock } from '../../../bot/src/services/routing';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { officeHours } from '../../helpers/fixtures';
import { openForAll } from '../../helpers/hooks';
import { interactKit } from '../../helpers/interact';

// Saturday 10 January 2026, 11:00 in Zurich: the office (Monday to Friday, 08:00-18:00) is closed.
const SATURDAY = Date.UTC(2026, 0, 10, 10, 0);
const MONDAY_8_ZURICH = Date.UTC(2026, 0, 12, 7, 0);
const clock = new ManualClock(SATURDAY);
let app: App;
openForAll(
  async () => (app = await startTestApp({ DEMO_TENANT: 'false' }, { clock, interact: roomyInteractLimits() })),
);
const { setup, getConfig } = interactKit(() => app);

/** A service answering by office hours through the default workflow: closed, it says so and disconnects. */
async function officeHoursService(over: Parameters<typeof setup>[0] = {}) {
  const s = await setup({
    ...over,
    service: {
      im: { enabled: true, channels: { interact: true, whatsapp: false }, workflowId: 'wf' },
      ...over.service,
    },
  });
  await app.store.repos.calendars.create(officeHours(s.tenantId, 'cal'));
  await app.store.repos.workflow.workflows.create(
    defaultImWorkflow({ id: 'wf', tenantId: s.tenantId, unitId: 'unit-1', calendarId: 'cal' }),
  );
  return s;
}

const availabilityOf = async (s: Awaited<ReturnType<typeof setup>>) => {
  const res = await getConfig(s);
  expect(res.status).toBe(200);
  return ((await res.json()) as { availability: unknown }).availability;
};

describe('the contact config says before the form whether a chat could reach anyone', () => {
  it('outside the opening hours its workflow checks first: closed, with the next opening', async () => {
    clock.set(SATURDAY);
    const s = await officeHoursService();
    expect(await availabilityOf(s)).toEqual({ state: 'closed', nextOpeningAt: MONDAY_8_ZURICH });
    clock.set(MONDAY_8_ZURICH - 60_000);
    expect(await availabilityOf(s)).toEqual({ state: 'closed', nextOpeningAt: MONDAY_8_ZURICH });
    clock.set(MONDAY_8_ZURICH);
    expect(await availabilityOf(s)).toEqual({ state: 'open' });
  });

  it('when no member could ever take the chat (none active): no agents', async () => {
    clock.set(MONDAY_8_ZURICH + 3600_000);
    const s = await setup({ service: { members: [{ userId: 'agent-1', active: false }] } });
    expect(await availabilityOf(s)).toEqual({ state: 'no-agents' });
    // A member who is only offline right now could take it later: that is open.
    const open = await setup();
    expect(await availabilityOf(open)).toEqual({ state: 'open' });
  });
});
