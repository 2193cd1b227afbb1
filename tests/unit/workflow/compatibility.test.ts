import {
  ACTIVITY_KINDS,
  IM_ACTIVITY_KINDS,
  IM_SUPPORT_TABLE,
  SUPPORT_BEYOND_TABLE,
  UNSUPPORTED_ACTIVITY_KINDS,
  WorkflowDefinition,
  imSupport,
  incompatibilities,
  workflowSelection,
} from '../../../bot/src/core/workflow';
import { workflowOf } from './definitions';

const service = (interact: boolean, whatsapp: boolean) => ({
  name: 'Service B',
  im: { enabled: true, channels: { interact, whatsapp }, workflowId: null },
});

describe('activity × channel compatibility', () => {
  it('keeps the published table for every known activity', () => {
    expect(Object.keys(IM_SUPPORT_TABLE).sort()).toEqual([...ACTIVITY_KINDS].sort());
    for (const kind of UNSUPPORTED_ACTIVITY_KINDS)
      expect(IM_SUPPORT_TABLE[kind]).toEqual({ interact: 'no', whatsapp: 'no' });
    for (const kind of IM_ACTIVITY_KINDS.filter((k) => k !== 'web-request' && k !== 'transfer'))
      expect(IM_SUPPORT_TABLE[kind]).toEqual({ interact: 'yes', whatsapp: 'yes' });
    expect(IM_SUPPORT_TABLE.transfer).toEqual({ interact: 'service-target-only', whatsapp: 'service-target-only' });
    expect(IM_SUPPORT_TABLE['web-request']).toEqual({ interact: 'yes', whatsapp: 'no' });
  });

  it('supports Web Request on WhatsApp beyond the table, and says why', () => {
    expect(imSupport('web-request', 'whatsapp')).toBe('yes');
    expect(SUPPORT_BEYOND_TABLE['web-request']?.whatsapp?.why).toMatch(/server/);
  });

  it('the schema knows every activity of the table', () => {
    for (const kind of ACTIVITY_KINDS) {
      const settings = kind === 'play-music' ? { file: 'x' } : {};
      const parsed = WorkflowDefinition.shape.nodes.element.safeParse({ id: 'n', kind, settings, exits: {} });
      // Unknown kinds fail on the discriminator; known ones at most on their settings.
      expect(parsed.success || parsed.error.issues.every((i) => i.path[0] === 'settings')).toBe(true);
    }
  });

  it('refuses a workflow with unsupported activities for a service, naming each activity and channel', () => {
    const wf = WorkflowDefinition.parse(
      workflowOf([
        { id: 'intro', name: 'Hold music', kind: 'play-music', settings: {}, exits: { next: 'move' } },
        {
          id: 'move',
          name: 'To Alex',
          kind: 'transfer',
          settings: { target: { kind: 'user', userId: 'alex' } },
          exits: { failed: null },
        },
      ]),
    );
    const refused = workflowSelection(wf, service(true, true));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'unsupported-activities' } });
    if (refused.ok) return;
    expect(refused.refusal.activities.map((a) => [a.nodeId, a.channel, a.reason])).toEqual([
      ['intro', 'interact', 'unsupported'],
      ['move', 'interact', 'transfer-target'],
      ['intro', 'whatsapp', 'unsupported'],
      ['move', 'whatsapp', 'transfer-target'],
    ]);
    expect(refused.refusal.message).toContain('Play Music "Hold music" is not supported on Interact');
    expect(refused.refusal.message).toContain(
      'Transfer "To Alex" transfers to a user; on WhatsApp a transfer can only go to a service',
    );
  });

  it('checks only the channels the service has enabled', () => {
    const wf = WorkflowDefinition.parse(workflowOf([{ id: 'q', kind: 'queue', settings: {}, exits: { next: null } }]));
    expect(incompatibilities(wf, [])).toEqual([]);
    expect(workflowSelection(wf, service(false, false))).toEqual({ ok: true, value: null });
    expect(workflowSelection(wf, service(false, true)).ok).toBe(false);
  });

  it('lets a transfer to a service through', () => {
    const wf = WorkflowDefinition.parse(
      workflowOf([
        {
          id: 'move',
          kind: 'transfer',
          settings: { target: { kind: 'service', serviceId: 's' } },
          exits: { failed: null },
        },
      ]),
    );
    expect(workflowSelection(wf, service(true, true))).toEqual({ ok: true, value: null });
  });
});
