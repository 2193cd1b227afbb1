import { chooseSessionCard, formatDuration, sessionCard, sessionsCard } from '../../../bot/src/channels/teams/cards';
import { renderView } from '../../../bot/src/channels/teams/render';
import type { SessionCardView, SessionSummary } from '../../../bot/src/services/agent-relay';
import { serviceQueueScope } from '../../../bot/src/store/partition-keys';
import { cardTexts } from '../../helpers/markdown';

const view = (state: SessionCardView['state'], over: Partial<SessionCardView> = {}): SessionCardView => ({
  state,
  ref: { tenantId: 't', queue: serviceQueueScope('s'), taskId: 'task-1' },
  offerId: 'offer-1',
  chatId: 'chat-1',
  customer: { displayName: 'Casey [click](https://evil.example) **now**', email: 'casey@example.com', address: null },
  channel: 'interact',
  serviceName: 'Service B',
  firstMessage: 'Where is _my_ order?',
  waitedMs: 83_000,
  rangMs: null,
  expiresAt: Date.UTC(2026, 0, 5, 9, 0, 30),
  withdrawnReason: null,
  outcome: null,
  customerLeft: false,
  agentMessage: null,
  ...over,
});

describe('session cards', () => {
  it('offers Accept and Decline only while the card rings', () => {
    expect(sessionCard(view('offered')).actions?.map((a) => a.verb)).toEqual(['offer.accept', 'offer.decline']);
    expect(sessionCard(view('accepted')).actions?.map((a) => a.verb)).toEqual(['session.focus', 'session.end']);
    for (const state of ['declined', 'missed', 'withdrawn', 'ended'] as const)
      expect(sessionCard(view(state)).actions).toBeUndefined();
  });

  it('shows customer text literally (TextRuns), never as markdown', () => {
    const card = JSON.stringify(sessionCard(view('offered')));
    expect(card).toContain('{"type":"TextRun","text":"Casey [click](https://evil.example) **now**"}');
    expect(card).toContain('{"type":"TextRun","text":"Where is _my_ order?"}');
    expect(card).not.toMatch(/"type":"TextBlock","text":"[^"]*evil/);
  });

  it('keeps customer and administrator text out of markdown (TextBlocks) on every card, and shows it as written', () => {
    const customer = {
      displayName: '**Boss** [verify](https://evil.example) <at>Megan</at>',
      email: 'boss_[x](https://evil.example)@example.com',
      address: null,
    };
    const firstMessage = '# Urgent\n[Click to verify](https://evil.example)';
    const summary: SessionSummary = {
      ref: view('accepted').ref,
      chatId: 'chat-1',
      customer,
      channel: 'interact',
      serviceName: 'Sales_EU *north*',
      connectedAt: 0,
    };
    const cards = [
      ...(['offered', 'accepted', 'declined', 'missed', 'withdrawn', 'ended'] as const).map((state) =>
        sessionCard(
          view(state, {
            customer,
            firstMessage,
            serviceName: 'Sales_EU *north*',
            outcome: state === 'ended' ? 'accepted' : null,
          }),
        ),
      ),
      chooseSessionCard({
        kind: 'choose-session',
        purpose: 'send',
        pendingText: '**sent** [x](https://evil.example)',
        sessions: [summary],
      }),
      chooseSessionCard({ kind: 'choose-session', purpose: 'end', pendingText: null, sessions: [summary] }),
      sessionsCard({
        kind: 'sessions',
        sessions: [summary],
        failures: [{ at: 0, what: 'customer-message', preview: '**hi** [x](https://evil.example)', chatId: 'chat-1' }],
      }),
    ];
    for (const card of cards) {
      const { markdown, literal } = cardTexts(card);
      for (const text of markdown) expect(text).not.toMatch(/Boss|evil|Urgent|Sales_EU|\*\*/);
      expect(literal).toContain(customer.displayName);
    }
    expect(cardTexts(sessionCard(view('offered', { customer, firstMessage }))).literal).toEqual(
      expect.arrayContaining([customer.email, firstMessage]),
    );
  });

  it('carries the direct system message for the agent on the accept and end cards', () => {
    expect(JSON.stringify(sessionCard(view('accepted', { agentMessage: 'Greet the customer.' })))).toContain(
      'Greet the customer.',
    );
    expect(
      JSON.stringify(sessionCard(view('ended', { agentMessage: 'Tag the session.', outcome: 'accepted' }))),
    ).toContain('Tag the session.');
  });

  it('says on the ended card when the customer left, and only then', () => {
    const texts = (over: Partial<SessionCardView>) => cardTexts(sessionCard(view('ended', over))).markdown;
    expect(texts({ outcome: 'accepted', customerLeft: true })).toContain('The customer has left.');
    expect(texts({ outcome: 'accepted' })).not.toContain('The customer has left.');
    expect(texts({ outcome: 'accepted' })).toContain('Ended');
  });

  it('formats waiting times', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(83_000)).toBe('1 min 23 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_725_000)).toBe('1 h 2 min');
  });
});

describe('rendering for Teams', () => {
  it('escapes a customer message and names the customer', () => {
    const [activity] = renderView({
      kind: 'customer-message',
      chatId: 'c',
      customerName: 'Casey <Admin>',
      channel: 'whatsapp',
      text: '<script>x</script>\nline',
    });
    expect(activity).toEqual({
      type: 'message',
      textFormat: 'xml',
      text: '<b>Casey &lt;Admin&gt;</b> <i>(WhatsApp)</i><br>&lt;script&gt;x&lt;/script&gt;<br>line',
    });
  });

  it('splits an oversized text into several messages under Teams’ size limit', () => {
    const activities = renderView({ kind: 'text', text: `${'word '.repeat(5_000)}\n\n${'more '.repeat(5_000)}` });
    expect(activities.length).toBeGreaterThan(1);
    for (const a of activities) expect(Buffer.byteLength(JSON.stringify(a))).toBeLessThan(80_000);
  });
});
