import { WebRequestConfig, WorkflowDefinition, WorkflowInstance, WorkflowTraceEntry, workflowScope } from '../core/workflow';
import type { CosmosStore } from './cosmos';
import { Repository } from './repository';
import type { StoreStats } from './stats';

/**
 * Workflow documents: definitions and web-request configurations are tenant configuration; a running
 * instance lives in `routing` next to the live tasks; its trace goes to `reports`, where it outlives
 * the task for admins to read. Instance and trace share the partition `wf:<taskId>`.
 */
export function createWorkflowRepositories(store: { cosmos: Pick<CosmosStore, 'containers'>; stats: StoreStats }) {
  const { config, routing, reports } = store.cosmos.containers;
  return {
    workflows: new Repository<WorkflowDefinition>(config, { type: 'workflow', schema: WorkflowDefinition }, store.stats),
    webRequests: new Repository<WebRequestConfig>(config, { type: 'webRequest', schema: WebRequestConfig }, store.stats),
    instances: new Repository<WorkflowInstance>(routing, { type: 'workflowInstance', schema: WorkflowInstance, scopeOf: (i) => workflowScope(i.taskId) }, store.stats),
    traces: new Repository<WorkflowTraceEntry>(reports, { type: 'workflowTrace', schema: WorkflowTraceEntry, scopeOf: (e) => workflowScope(e.taskId) }, store.stats),
  };
}
export type WorkflowRepositories = ReturnType<typeof createWorkflowRepositories>;
