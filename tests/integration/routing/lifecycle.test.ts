import { AGENTS_SCOPE, serviceQueueScope, timerIds, userScope } from '../../../bot/src/store/partition-keys';
import { refOf } from '../../../bot/src/services/routing';
import { distribution } from '../../helpers/fixtures';
import { type World, createWorld as createWorldOn } from '../../helpers/routing';
import { eventually } from '../../helpers/process';
import { worldsOnSharedCosmos } from '../../helpers/store';

const createWorld = worldsOnSharedCosmos(createWorldOn);

const SEC = 1000;
const slotsOf = async (w: World, userId: string) =>
  (await w.store.repos.agents.get(w.tenantId, userId, AGENTS_SCOPE)).slots;
const reportOf = (w: World, taskId: string) =>
  w.store.repos.taskReports.get(w.tenantId, taskId, serviceQueueScope(w.serviceId));
const sessionsOf = (w: World, userId: string) => w.store.repos.userSessions.query(w.tenantId, {}, userScope(userId));
/** A service whose users go into RONA after a decline too. */
const persistentRona = { service: { distribution: distribution({ persistentRona: true }) } };

describe('Direct distribution', () => {
  it('offers to the longest idle agent, connects on accept and reports the accepted session', async () => {
    const w = await createWorld();
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    expect(offer?.userId).toBe('agent-1');
    expect(w.events.filter((e) => e.type === 'task.offered')).toHaveLength(1);
    expect(await slotsOf(w, 'agent-1')).toMatchObject([{ taskId: ref.taskId, kind: 'offer' }]);

    w.clock.advance(4 * SEC);
    const accepted = await w.routing.tasks.accept(ref, offer!.id, 'agent-1');
    expect(accepted).toMatchObject({ ok: true, value: { state: 'connected', assignedUserId: 'agent-1' } });
    expect(await slotsOf(w, 'agent-1')).toMatchObject([{ taskId: ref.taskId, kind: 'chat' }]);

    w.clock.advance(60 * SEC);
    const ended = await w.routing.tasks.end(ref, 'accepted');
    expect(ended).toMatchObject({
      ok: true,
      value: {
        outcome: 'accepted',
        acceptedByUserId: 'agent-1',
        timeToAcceptMs: 4 * SEC,
        timeInConversationMs: 60 * SEC,
        channel: 'interact',
      },
    });
    expect(await slotsOf(w, 'agent-1')).toEqual([]);
    expect(await w.routing.tasks.get(ref)).toBeUndefined();
    expect(await reportOf(w, ref.taskId)).toMatchObject({ outcome: 'accepted' });
    expect(await sessionsOf(w, 'agent-1')).toMatchObject([
      { outcome: 'accepted', taskOutcome: 'accepted', endedAt: w.clock.now() },
    ]);
  });

  it('on no answer: RONA for the agent, the next agent is offered, RONA clears after its reset time', async () => {
    const w = await createWorld({
      service: {
        distribution: {
          maxConcurrentChatsPerUser: 3,
          selectableWhenBusy: false,
          selectableWhenAway: false,
          ronaResetSeconds: 120,
          persistentRona: false,
        },
      },
    });
    const ref = await w.queueTask({ ringTimeoutSeconds: 20 });
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);

    await w.advance(19 * SEC);
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
    await w.advance(1 * SEC);
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-2']);
    const agent1 = await w.store.repos.agents.get(w.tenantId, 'agent-1', AGENTS_SCOPE);
    expect(agent1.rona).toMatchObject({ reason: 'no-answer', taskId: ref.taskId, until: w.clock.now() + 120 * SEC });
    expect(agent1.slots).toEqual([]);
    expect(await sessionsOf(w, 'agent-1')).toMatchObject([{ outcome: 'no-answer' }]);

    await w.advance(120 * SEC);
    expect((await w.store.repos.agents.get(w.tenantId, 'agent-1', AGENTS_SCOPE)).rona).toBeNull();
  });

  it('on decline: straight on to the next agent, and no RONA for the agent who declined', async () => {
    const w = await createWorld();
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    expect(await w.routing.tasks.decline(ref, offer!.id, 'agent-1')).toMatchObject({ ok: true });
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-2']);
    const agent1 = await w.store.repos.agents.get(w.tenantId, 'agent-1', AGENTS_SCOPE);
    expect(agent1.rona).toBeNull();
    expect(agent1.slots).toEqual([]);
    expect(await w.store.timers.find(timerIds.rona(w.tenantId, 'agent-1'))).toBeUndefined();
    expect(await sessionsOf(w, 'agent-1')).toMatchObject([{ outcome: 'declined' }]);
  });

  it('after a decline the agent gets the next task, but not the one they declined', async () => {
    const w = await createWorld({ agents: 1 });
    const declined = await w.queueTask();
    const [offer] = await w.pendingOffers(declined);
    await w.routing.tasks.decline(declined, offer!.id, 'agent-1');
    await w.settle();
    expect(await w.pendingOffers(declined)).toEqual([]);
    const next = await w.queueTask();
    expect((await w.pendingOffers(next)).map((o) => o.userId)).toEqual(['agent-1']);
    expect(await w.pendingOffers(declined)).toEqual([]);
  });

  it('with persistent RONA, a decline puts the agent in RONA for the service’s reset time', async () => {
    const w = await createWorld({
      service: { distribution: distribution({ persistentRona: true, ronaResetSeconds: 90 }) },
    });
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    await w.routing.tasks.decline(ref, offer!.id, 'agent-1');
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-2']);
    expect((await w.store.repos.agents.get(w.tenantId, 'agent-1', AGENTS_SCOPE)).rona).toMatchObject({
      reason: 'declined',
      until: w.clock.now() + 90 * SEC,
    });
  });

  it('puts the agent in RONA before their slot is free again, so distribution never sees them selectable in between', async () => {
    const w = await createWorld(persistentRona);
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    // What distribution would read at the moment the freed slot wakes it.
    const seen: (string | null)[] = [];
    w.routing.events.on('agent.freed', async ({ tenantId, userId }) => {
      const agent = await w.store.repos.agents.get(tenantId, userId, AGENTS_SCOPE);
      seen.push(agent.slots.length === 0 ? (agent.rona?.reason ?? null) : 'slot-held');
    });
    expect(await w.routing.tasks.decline(ref, offer!.id, 'agent-1')).toMatchObject({ ok: true });
    await w.settle();
    expect(seen[0]).toBe('declined');
  });

  it('lets the agent reset their own RONA', async () => {
    const w = await createWorld({ agents: 1, ...persistentRona });
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    await w.routing.tasks.decline(ref, offer!.id, 'agent-1');
    await w.settle();
    expect(await w.pendingOffers(ref)).toEqual([]);
    await w.routing.agents.resetRona(w.tenantId, 'agent-1');
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
    expect(await w.store.timers.find(timerIds.rona(w.tenantId, 'agent-1'))).toBeUndefined();
  });

  it('never gives an agent more chats than their capacity; freed capacity is used at once', async () => {
    const w = await createWorld({ agents: 1, maxChats: 1 });
    const first = await w.queueTask();
    const second = await w.queueTask();
    const [offer] = await w.pendingOffers(first);
    expect(await w.pendingOffers(second)).toEqual([]);
    await w.routing.tasks.accept(first, offer!.id, 'agent-1');
    await w.settle();
    expect(await w.pendingOffers(second)).toEqual([]);
    await w.routing.tasks.end(first, 'accepted');
    await w.settle();
    expect((await w.pendingOffers(second)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('offers a Strict task before older Normal ones', async () => {
    const w = await createWorld({ agents: 1, maxChats: 1, available: false });
    const normal = await w.queueTask({ priority: 'normal' });
    w.clock.advance(SEC);
    const strict = await w.queueTask({ priority: 'strict' });
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'available');
    await w.settle();
    expect(await w.pendingOffers(normal)).toEqual([]);
    expect((await w.pendingOffers(strict)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('does not offer to an agent in an audio/video session', async () => {
    const w = await createWorld({ agents: 1, available: false });
    await w.routing.agents.getOrCreate(w.tenantId, 'agent-1');
    await w.store.repos.agents.update(
      w.tenantId,
      'agent-1',
      (a) => ({ ...a, slots: [{ taskId: 'call-1', queue: 'calls', kind: 'call', since: 0 }] }),
      { scope: AGENTS_SCOPE },
    );
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'available');
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([]);
  });
});

describe('Broadcast distribution', () => {
  it('offers N agents at once; the first accept wins and the others are withdrawn', async () => {
    const w = await createWorld({ agents: 4 });
    const ref = await w.queueTask({ type: 'broadcast', broadcastSize: 3 });
    const offers = await w.pendingOffers(ref);
    expect(offers.map((o) => o.userId).sort()).toEqual(['agent-1', 'agent-2', 'agent-3']);

    const results = await Promise.all(offers.map((o) => w.routing.tasks.accept(ref, o.id, o.userId)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.refusal)).toEqual(['already-taken', 'already-taken']);

    await w.settle();
    const task = await w.routing.tasks.get(ref);
    const winner = task!.assignedUserId!;
    for (const o of offers)
      expect(await slotsOf(w, o.userId)).toEqual(
        o.userId === winner ? [{ taskId: ref.taskId, queue: ref.queue, kind: 'chat', since: expect.any(Number) }] : [],
      );
    const withdrawn = w.events.filter((e) => e.type === 'offer.resolved' && e.offer.state === 'withdrawn');
    expect(withdrawn).toHaveLength(2);
    // A withdrawn offer gets no RONA.
    for (const o of offers.filter((x) => x.userId !== winner))
      expect((await w.store.repos.agents.get(w.tenantId, o.userId, AGENTS_SCOPE)).rona).toBeNull();
  });

  it('does not offer again to an agent who declined', async () => {
    const w = await createWorld({ agents: 2 });
    const ref = await w.queueTask({ type: 'broadcast', broadcastSize: 2 });
    const offers = await w.pendingOffers(ref);
    const a1 = offers.find((o) => o.userId === 'agent-1')!;
    await w.routing.tasks.decline(ref, a1.id, 'agent-1');
    await w.routing.agents.resetRona(w.tenantId, 'agent-1');
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-2']);
  });
});

describe('Pickup distribution', () => {
  it('makes no offers; of two agents claiming at once, one gets the task', async () => {
    const w = await createWorld({ agents: 2 });
    const ref = await w.queueTask({ type: 'pickup' });
    expect(await w.pendingOffers(ref)).toEqual([]);
    const [a, b] = await Promise.all([w.routing.tasks.claim(ref, 'agent-1'), w.routing.tasks.claim(ref, 'agent-2')]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    await w.settle();
    const loser = a.ok ? 'agent-2' : 'agent-1';
    expect(await slotsOf(w, loser)).toEqual([]);
  });

  it('refuses a claim from an agent who is not selectable', async () => {
    const w = await createWorld({ agents: 1 });
    const ref = await w.queueTask({ type: 'pickup' });
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'offline');
    expect(await w.routing.tasks.claim(ref, 'agent-1')).toEqual({ ok: false, refusal: 'not-selectable' });
  });
});

describe('outcomes', () => {
  it('max queue time ends a task nobody took', async () => {
    const w = await createWorld({ agents: 1, available: false });
    const ref = await w.queueTask({ maxQueueSeconds: 60 });
    await w.advance(59 * SEC);
    expect((await w.routing.tasks.get(ref))?.state).toBe('queued');
    await w.advance(1 * SEC);
    expect(await w.routing.tasks.get(ref)).toBeUndefined();
    expect(await reportOf(w, ref.taskId)).toMatchObject({ outcome: 'max-queue-time', timeInQueueMs: 60 * SEC });
  });

  it('a customer leaving while offered ends the task and withdraws the offer', async () => {
    const w = await createWorld();
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    expect(await w.routing.tasks.customerLeft(ref)).toMatchObject({
      ok: true,
      value: { outcome: 'customer-left-in-queue' },
    });
    expect(await slotsOf(w, offer!.userId)).toEqual([]);
    expect(
      w.events.some((e) => e.type === 'offer.resolved' && e.offer.id === offer!.id && e.offer.state === 'withdrawn'),
    ).toBe(true);
    expect(await sessionsOf(w, offer!.userId)).toMatchObject([{ outcome: 'withdrawn' }]);
    // The ring timer of the withdrawn offer is gone: nothing fires later.
    expect(await w.store.timers.find(timerIds.offer(w.tenantId, offer!.id))).toBeUndefined();
  });

  it('a customer leaving before the queue is reported as such', async () => {
    const w = await createWorld();
    const task = await w.routing.tasks.create({
      tenantId: w.tenantId,
      target: { kind: 'service', serviceId: w.serviceId },
      channel: 'whatsapp',
      chatId: 'chat-x',
      customer: { displayName: 'Wanda', email: null, address: '+41790000000' },
      firstMessage: null,
    });
    await w.routing.tasks.startWorkflow(refOf(task));
    expect(await w.routing.tasks.customerLeft(refOf(task))).toMatchObject({
      ok: true,
      value: { outcome: 'customer-left-before-queue', channel: 'whatsapp' },
    });
  });

  it('cancel ends a queued task as cancelled', async () => {
    const w = await createWorld({ available: false });
    const ref = await w.queueTask();
    expect(await w.routing.tasks.cancel(ref)).toMatchObject({ ok: true, value: { outcome: 'cancelled' } });
    expect(await w.routing.tasks.cancel(ref)).toEqual({ ok: false, refusal: 'not-found' });
  });

  it('transfer ends the task as transferred and continues the chat in the target service', async () => {
    const w = await createWorld();
    await w.store.repos.services.create({
      ...(await w.store.repos.services.get(w.tenantId, w.serviceId)),
      id: 'svc-2',
      name: 'Second line',
    });
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    await w.routing.tasks.accept(ref, offer!.id, offer!.userId);
    const moved = await w.routing.tasks.transfer(ref, 'svc-2');
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    expect(moved.value).toMatchObject({
      state: 'created',
      target: { kind: 'service', serviceId: 'svc-2' },
      transferredFromTaskId: ref.taskId,
    });
    const before = await reportOf(w, ref.taskId);
    expect(before).toMatchObject({ outcome: 'transferred', transferredToTaskId: moved.value.id });
    expect(moved.value.chatId).toBe(before.chatId);
    expect(await slotsOf(w, offer!.userId)).toEqual([]);
  });

  it('refuses to end a task twice or with an outcome that does not fit', async () => {
    const w = await createWorld({ available: false });
    const ref = await w.queueTask();
    expect(await w.routing.tasks.end(ref, 'accepted')).toEqual({ ok: false, refusal: 'invalid-outcome' });
    expect((await w.routing.tasks.get(ref))?.state).toBe('queued');
    expect(await w.store.timers.find(timerIds.finalize(w.tenantId, ref.taskId))).toBeUndefined();
  });
});

describe('direct contact of a user', () => {
  it('is offered to that user only, and missed if unanswered', async () => {
    const w = await createWorld();
    const task = await w.routing.tasks.create({
      tenantId: w.tenantId,
      target: { kind: 'user', userId: 'agent-2' },
      channel: 'interact',
      chatId: 'chat-direct',
      customer: { displayName: 'Dana', email: 'dana@example.com', address: null },
      firstMessage: 'Hello Agent 2',
    });
    const ref = refOf(task);
    await w.routing.tasks.enqueue(ref, { ringTimeoutSeconds: 30 });
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-2']);
    await w.advance(30 * SEC);
    expect(await w.routing.tasks.get(ref)).toBeUndefined();
    expect(await w.store.repos.taskReports.get(w.tenantId, ref.taskId, userScope('agent-2'))).toMatchObject({
      outcome: 'missed',
      target: { kind: 'user', userId: 'agent-2' },
    });
    expect(await sessionsOf(w, 'agent-2')).toMatchObject([{ outcome: 'no-answer' }]);
  });
});

describe('queue position', () => {
  it('tells each waiting task its position, and estimates the wait once accepts were seen', async () => {
    const w = await createWorld({ agents: 1, maxChats: 1 });
    const refs: Awaited<ReturnType<typeof w.queueTask>>[] = [];
    for (let i = 0; i < 3; i++) {
      refs.push(await w.queueTask());
      w.clock.advance(1);
    }
    expect(await w.routing.tasks.position(refs[1]!)).toEqual({
      position: 2,
      queueLength: 3,
      estimatedWaitSeconds: null,
    });
    for (let i = 0; i < 2; i++) {
      const [offer] = await w.pendingOffers(refs[i]!);
      w.clock.advance(20 * SEC);
      expect((await w.routing.tasks.accept(refs[i]!, offer!.id, 'agent-1')).ok).toBe(true);
      expect((await w.routing.tasks.end(refs[i]!, 'accepted')).ok).toBe(true);
      await w.settle();
    }
    // Queue statistics are written after the accept answers; wait for the second accept's figures.
    const position = await eventually(async () => {
      const p = await w.routing.tasks.position(refs[2]!);
      return p?.estimatedWaitSeconds !== null ? p : undefined;
    });
    expect(position).toEqual({ position: 1, queueLength: 1, estimatedWaitSeconds: 20 });
  });
});

describe('presence', () => {
  it('an agent going Offline clears RONA; coming back makes them selectable', async () => {
    const w = await createWorld({ agents: 1, ...persistentRona });
    const ref = await w.queueTask();
    const [offer] = await w.pendingOffers(ref);
    await w.routing.tasks.decline(ref, offer!.id, 'agent-1');
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'offline');
    expect((await w.store.repos.agents.get(w.tenantId, 'agent-1', AGENTS_SCOPE)).rona).toBeNull();
    await w.settle();
    expect(await w.pendingOffers(ref)).toEqual([]);
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'available');
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
  });
});
