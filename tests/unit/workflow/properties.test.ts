import fc from 'fast-check';
import {
  type EngineInput,
  type StepResult,
  type WorkflowDefinition,
  type WorkflowNodeInput,
  activityOf,
  initialState,
  step,
  validateWorkflow,
} from '../../../bot/src/core/workflow';
import { FACTS, NOW } from './activity-harness';
import { workflowOf } from './definitions';
import { CUSTOMER_LINES, randomFrom, simulatedAnswer } from './simulated-world';

const PARAMS = ['p1', 'p2', 'p3'];
const param = fc.constantFrom(...PARAMS);
const template = fc.constantFrom(
  'Hi {{customer.name}}',
  'You are {{queue.position}} ({{queue.estimatedWait}})',
  '{{param.p1}} on {{date}} {{time}}',
  'Plain text',
  '{{param.p2}}{{param.p3}}',
);

/** Valid settings for every activity IM runs, and one it does not (Play Music). */
const settingsOf: Record<string, fc.Arbitrary<unknown>> = {
  accept: fc.constant({}),
  'collect-information': fc.record({
    prompt: template,
    parameter: param,
    format: fc.constantFrom('text', 'email', 'number', 'phone'),
    retries: fc.integer({ min: 0, max: 2 }),
    timeoutSeconds: fc.integer({ min: 10, max: 600 }),
  }),
  delay: fc.record({ seconds: fc.integer({ min: 1, max: 600 }) }),
  disconnect: fc.constant({}),
  'input-customer': fc.integer({ min: 1, max: 3 }).map((n) => ({
    prompt: 'Pick one',
    choices: Array.from({ length: n }, (_, i) => ({
      exit: `c${i}`,
      label: `Choice ${i}`,
      keywords: i === 0 ? ['buy'] : ['help me'],
    })),
  })),
  message: fc.record({ text: template, delaySeconds: fc.constantFrom(0, 0, 5) }),
  'save-to-parameter': fc.record({ parameter: param, value: template }),
  transfer: fc.constant({ target: { kind: 'service', serviceId: 'svc-2' } }),
  'web-request': fc.constant({ webRequestId: 'wr-1' }),
  'availability-based-routing': fc.constant({}),
  'check-opening-hours': fc.constant({ primaryCalendarId: 'cal' }),
  'check-parameter': fc.record({
    parameter: param,
    operator: fc.constantFrom('equals', 'contains', 'is-empty', 'greater-than'),
    value: fc.constantFrom('x', '{{param.p2}}', '5'),
  }),
  'get-available-users': fc.record({ parameter: fc.option(param, { nil: null }) }),
  'get-queue-position': fc.record({ positionParameter: fc.option(param, { nil: null }) }),
  'cancel-task': fc.constant({}),
  'check-task': fc.constant({}),
  'distribution-priority': fc.record({ priority: fc.constantFrom('low', 'normal', 'high', 'strict') }),
  'queue-task': fc.record({
    distribution: fc.constantFrom('direct', 'broadcast', 'pickup'),
    priority: fc.option(fc.constantFrom('low', 'high'), { nil: null }),
  }),
  'play-music': fc.constant({}),
};
const kinds = Object.keys(settingsOf);

type Draft = { kind: string; settings: unknown; targets: (number | null)[] };

const draftNode = fc.constantFrom(...kinds).chain((kind) =>
  settingsOf[kind]!.chain((settings) => {
    const exits = activityOf(kind)!.exits(settings);
    return fc
      .array(fc.option(fc.nat(7), { nil: null, freq: 3 }), { minLength: exits.length, maxLength: exits.length })
      .map((targets): Draft => ({ kind, settings, targets }));
  }),
);

/**
 * A workflow from drafts: exit targets are indexes (wrapped into range); nodes not reachable from the
 * first are dropped, so most candidates are valid and the rest fail on loops or nothing else.
 */
function assemble(drafts: Draft[]): ReturnType<typeof workflowOf> {
  const id = (i: number) => `n${i}`;
  const nodes: WorkflowNodeInput[] = drafts.map((d, i) => {
    const exitNames = activityOf(d.kind)!.exits(d.settings);
    const exits = Object.fromEntries(
      exitNames.map((e, j) => [
        e,
        d.targets[j] === null || d.targets[j] === undefined ? null : id(d.targets[j]! % drafts.length),
      ]),
    );
    return { id: id(i), kind: d.kind, settings: d.settings, exits } as WorkflowNodeInput;
  });
  const reached = new Set<string>(['n0']);
  for (let grew = true; grew;) {
    grew = false;
    for (const n of nodes) {
      if (!reached.has(n.id)) continue;
      for (const t of Object.values(n.exits)) {
        if (!t || reached.has(t)) continue;
        grew = true;
        reached.add(t);
      }
    }
  }
  return workflowOf(
    nodes.filter((n) => reached.has(n.id)),
    { parameters: PARAMS.map((name) => ({ name })) },
  );
}

/** Drives a workflow like the runner would, answering commands and waits at random. */
function drive(workflow: WorkflowDefinition, seed: number, steps: number): StepResult[] {
  const random = randomFrom(seed);
  const seq = { value: 0 };
  let now = NOW;
  let state = initialState(workflow);
  let input: EngineInput = { kind: 'start' };
  const results: StepResult[] = [];
  for (let i = 0; i < steps; i++) {
    const r = step(workflow, state, input, { now, channel: random() < 0.5 ? 'interact' : 'whatsapp', facts: FACTS });
    results.push(r);
    if (r.outcome.kind === 'ended' || r.outcome.kind === 'ignored') break;
    state = r.state;
    if (r.outcome.kind === 'command')
      input = { kind: 'result', token: r.outcome.token, result: simulatedAnswer(r.outcome.command, random, seq) };
    else if (r.outcome.forCustomer && random() < 0.7)
      input = {
        kind: 'customer-message',
        text: CUSTOMER_LINES[Math.floor(random() * CUSTOMER_LINES.length)] || 'ok',
        seq: ++seq.value,
      };
    else {
      now = r.outcome.until;
      input = { kind: 'timeout', token: r.outcome.token };
    }
  }
  return results;
}

const STRUCTURAL = /no node|not wired|without waiting|did not expect|could not run/;

describe('properties of workflow definitions', () => {
  it('validation never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        validateWorkflow(input);
        validateWorkflow({
          id: 'w',
          tenantId: 't',
          type: 'workflow',
          unitId: 'u',
          name: 'n',
          start: 'a',
          nodes: [input],
        });
      }),
      { numRuns: 300 },
    );
  });

  it('any definition that passes validation runs without throwing, never spins and never hits a structural failure', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.array(draftNode, { minLength: 1, maxLength: 8 }), fc.integer(), (drafts, seed) => {
        const candidate = assemble(drafts);
        const validation = validateWorkflow(candidate);
        if (!validation.ok) {
          // Candidates are built wired and reachable: the only thing left to refuse is a loop without a wait.
          expect(validation.refusal.every((e) => e.code === 'loop-without-wait')).toBe(true);
          return;
        }
        valid++;
        const results = drive(validation.value, seed, 80);
        for (const r of results) {
          expect(r.outcome.kind).not.toBe('ignored');
          expect(r.state.pending !== null && r.state.wait !== null).toBe(false);
          const failed = r.trace.filter((t) => t.event === 'failed');
          for (const f of failed) {
            // The only expected failure: reaching Play Music, which no IM channel runs.
            expect(f.detail).not.toMatch(STRUCTURAL);
            expect(f.activity).toBe('play-music');
          }
        }
      }),
      { numRuns: 400 },
    );
    expect(valid).toBeGreaterThan(100);
  });
});
