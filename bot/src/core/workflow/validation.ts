import type { z } from 'zod/v4';
import { WorkflowDefinition, type WorkflowNode } from './model';
import { type ActivityKind, activityLabel, activityOf, isKnownActivity } from './registry';
import { type WebRequestConfig, webRequestProblems } from './web-request';
import { templateProblems } from './template';
import { type Result, ok, refuse } from '../result';

export type ValidationCode =
  | 'invalid'
  | 'unknown-activity'
  | 'duplicate-node'
  | 'unknown-start'
  | 'unwired-exit'
  | 'unknown-exit'
  | 'unknown-target'
  | 'unreachable'
  | 'loop-without-wait'
  | 'duplicate-parameter'
  | 'template'
  | 'undeclared-parameter'
  | 'unknown-reference';

/** One problem, worded for the admin who edits the workflow: it names the node it is about. */
export type ValidationError = { code: ValidationCode; nodeId: string | null; message: string };

/** Configuration items the workflow may refer to; a set that is not given is not checked. */
export type WorkflowContext = {
  services?: ReadonlySet<string>;
  calendars?: ReadonlySet<string>;
  webRequests?: ReadonlyMap<string, WebRequestConfig>;
};

export type Validation = Result<WorkflowDefinition, ValidationError[]>;

const describe = (node: Pick<WorkflowNode, 'id' | 'name' | 'kind'>): string => {
  const label = isKnownActivity(node.kind) ? activityLabel(node.kind as ActivityKind) : node.kind;
  return node.name && node.name !== node.id
    ? `Node "${node.name}" (${node.id}, ${label})`
    : `Node "${node.id}" (${label})`;
};

const rawNodes = (input: unknown): unknown[] => {
  if (typeof input !== 'object' || input === null) return [];
  const nodes = (input as { nodes?: unknown }).nodes;
  return Array.isArray(nodes) ? nodes : [];
};

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/** Turns schema issues into messages that name the node they are in. */
function schemaErrors(input: unknown, issues: readonly z.core.$ZodIssue[]): ValidationError[] {
  const nodes = rawNodes(input);
  const errors: ValidationError[] = [];
  const unknownReported = new Set<number>();
  nodes.forEach((n, i) => {
    const kind = field(n, 'kind');
    if (typeof kind === 'string' && isKnownActivity(kind)) return;
    unknownReported.add(i);
    const id = typeof field(n, 'id') === 'string' ? (field(n, 'id') as string) : `#${i + 1}`;
    errors.push({
      code: 'unknown-activity',
      nodeId: id,
      message: `Node "${id}": unknown activity ${typeof kind === 'string' ? `"${kind}"` : '(no kind given)'}`,
    });
  });
  for (const issue of issues) {
    const [first, index, ...rest] = issue.path;
    if (first === 'nodes' && typeof index === 'number') {
      if (unknownReported.has(index)) continue;
      const n = nodes[index];
      const id = typeof field(n, 'id') === 'string' ? (field(n, 'id') as string) : `#${index + 1}`;
      const kind = field(n, 'kind') as string;
      const where = rest.length > 0 ? `${rest.join('.')}: ` : '';
      errors.push({
        code: 'invalid',
        nodeId: id,
        message: `${describe({ id, kind: kind as ActivityKind, name: field(n, 'name') as string | undefined })}: ${where}${issue.message}`,
      });
    } else {
      errors.push({
        code: 'invalid',
        nodeId: null,
        message: `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
      });
    }
  }
  return errors;
}

/** Strongly connected components (Tarjan), for finding loops. */
function components(ids: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      result.push(component);
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return result;
}

/**
 * Checks a workflow definition: its schema, one existing start, every exit wired (to a node or
 * deliberately to the end), every node reachable, no loop that can go round without waiting for a
 * timer or the customer, placeholders and parameters, and references to other configuration items.
 * Activities Instant Messaging does not run are valid here; `workflowSelection` refuses them per channel.
 */
export function validateWorkflow(input: unknown, context: WorkflowContext = {}): Validation {
  const parsed = WorkflowDefinition.safeParse(input);
  if (!parsed.success) return refuse(schemaErrors(input, parsed.error.issues));
  const workflow = parsed.data;
  const errors: ValidationError[] = [];
  const byId = new Map<string, WorkflowNode>();
  for (const n of workflow.nodes) {
    if (byId.has(n.id))
      errors.push({ code: 'duplicate-node', nodeId: n.id, message: `Node id "${n.id}" is used by more than one node` });
    else byId.set(n.id, n);
  }
  if (!byId.has(workflow.start))
    errors.push({ code: 'unknown-start', nodeId: null, message: `The start node "${workflow.start}" does not exist` });

  const edges = new Map<string, string[]>();
  for (const n of byId.values()) {
    const activity = activityOf(n.kind)!;
    const expected = activity.exits(n.settings);
    const targets: string[] = [];
    for (const exit of expected) {
      if (!(exit in n.exits)) {
        errors.push({
          code: 'unwired-exit',
          nodeId: n.id,
          message: `${describe(n)}: exit "${exit}" is not wired; connect it to a node or set it to end the workflow`,
        });
        continue;
      }
      const target = n.exits[exit];
      if (target === null || target === undefined) continue;
      if (!byId.has(target))
        errors.push({
          code: 'unknown-target',
          nodeId: n.id,
          message: `${describe(n)}: exit "${exit}" leads to "${target}", which is not a node of this workflow`,
        });
      else targets.push(target);
    }
    for (const exit of Object.keys(n.exits)) {
      if (!expected.includes(exit)) {
        const has =
          expected.length === 0 ? 'it has no exits' : `its exits are ${expected.map((e) => `"${e}"`).join(', ')}`;
        errors.push({
          code: 'unknown-exit',
          nodeId: n.id,
          message: `${describe(n)}: "${exit}" is not an exit of ${activity.label}; ${has}`,
        });
      }
    }
    edges.set(n.id, targets);
  }

  if (byId.has(workflow.start)) {
    const reached = new Set<string>([workflow.start]);
    const todo = [workflow.start];
    for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
      for (const next of edges.get(id) ?? []) {
        if (reached.has(next)) continue;
        reached.add(next);
        todo.push(next);
      }
    }
    for (const n of byId.values()) {
      if (!reached.has(n.id))
        errors.push({
          code: 'unreachable',
          nodeId: n.id,
          message: `${describe(n)} cannot be reached from the start node "${workflow.start}"`,
        });
    }
  }

  // A loop must pass a node that waits (a Delay, or an activity that waits for the customer); otherwise
  // it would spin as fast as the server can run it.
  const busy = [...byId.values()].filter((n) => !activityOf(n.kind)!.waits(n.settings)).map((n) => n.id);
  const busySet = new Set(busy);
  const busyEdges = new Map(busy.map((id) => [id, (edges.get(id) ?? []).filter((t) => busySet.has(t))]));
  for (const component of components(busy, busyEdges)) {
    const id = component[0]!;
    const selfLoop = component.length === 1 && (busyEdges.get(id) ?? []).includes(id);
    if (component.length < 2 && !selfLoop) continue;
    const names = component.reverse().map((c) => `"${byId.get(c)?.name ?? c}"`);
    errors.push({
      code: 'loop-without-wait',
      nodeId: component[0]!,
      message: `Nodes ${names.join(', ')} form a loop without a Delay or an activity that waits for the customer`,
    });
  }

  const declared = new Set<string>();
  for (const p of workflow.parameters) {
    if (declared.has(p.name))
      errors.push({ code: 'duplicate-parameter', nodeId: null, message: `Parameter "${p.name}" is declared twice` });
    declared.add(p.name);
  }
  for (const n of byId.values()) {
    const activity = activityOf(n.kind)!;
    for (const text of activity.templates(n.settings)) {
      for (const problem of templateProblems(text, declared))
        errors.push({
          code: problem.code === 'undeclared-parameter' ? 'undeclared-parameter' : 'template',
          nodeId: n.id,
          message: `${describe(n)}: ${problem.message}`,
        });
    }
    for (const name of [...activity.reads(n.settings), ...activity.writes(n.settings)]) {
      if (!declared.has(name))
        errors.push({
          code: 'undeclared-parameter',
          nodeId: n.id,
          message: `${describe(n)}: uses parameter "${name}", which the workflow does not declare`,
        });
    }
    const refs = activity.references(n.settings);
    for (const id of refs.services ?? []) {
      if (context.services && !context.services.has(id))
        errors.push({
          code: 'unknown-reference',
          nodeId: n.id,
          message: `${describe(n)}: service "${id}" does not exist`,
        });
    }
    for (const id of refs.calendars ?? []) {
      if (context.calendars && !context.calendars.has(id))
        errors.push({
          code: 'unknown-reference',
          nodeId: n.id,
          message: `${describe(n)}: calendar "${id}" does not exist`,
        });
    }
    for (const id of refs.webRequests ?? []) {
      if (!context.webRequests) continue;
      const config = context.webRequests.get(id);
      if (!config)
        errors.push({
          code: 'unknown-reference',
          nodeId: n.id,
          message: `${describe(n)}: web request "${id}" does not exist`,
        });
      else
        for (const p of webRequestProblems(config, declared))
          errors.push({
            code: 'template',
            nodeId: n.id,
            message: `${describe(n)}: web request "${config.name}" ${p.field}: ${p.message}`,
          });
    }
  }
  return errors.length === 0 ? ok(workflow) : refuse(errors);
}
