import type { Logger } from 'pino';
import type { Store, WorkflowRepositories } from '../../store';
import type { ChatService } from '../chat/chat-service';
import type { OutboundPolicy } from '../net/guarded-http';
import type { Clock } from '../routing/clock';
import type { Routing } from '../routing';
import { WorkflowRunner, type WorkflowRunnerOptions } from './runner';
import { WebRequestClient } from './web-request-client';
import { WorkflowService } from './workflow-service';

export type Workflows = { runner: WorkflowRunner; admin: WorkflowService; repos: WorkflowRepositories };

/**
 * Wires the workflow runner and administration over a store, routing and chats, starts listening to
 * customer messages and routing events, and takes over routing's workflow timers.
 */
export function createWorkflows(deps: {
  store: Store;
  routing: Pick<Routing, 'tasks' | 'events' | 'handleTimers'>;
  chats: ChatService;
  clock: Clock;
  log: Logger;
  options?: Partial<WorkflowRunnerOptions>;
  outbound?: Partial<OutboundPolicy>;
}): Workflows {
  const repos = deps.store.repos.workflow;
  const runner = new WorkflowRunner({
    store: deps.store,
    repos,
    tasks: deps.routing.tasks,
    events: deps.routing.events,
    chats: deps.chats,
    clock: deps.clock,
    log: deps.log,
    webRequests: new WebRequestClient(deps.clock, deps.outbound),
    options: deps.options,
  });
  runner.attach();
  deps.routing.handleTimers('workflow', (timer) => runner.onTimer(timer));
  return { runner, admin: new WorkflowService(deps.store, repos, deps.clock, deps.outbound?.allow), repos };
}

export { WorkflowRunner, type StartResult, type WorkflowRunnerOptions } from './runner';
export {
  WorkflowService,
  type SaveWorkflowResult,
  type SelectWorkflowResult,
  type WorkflowWarning,
} from './workflow-service';
export { WebRequestClient } from './web-request-client';
