import type { WorkflowDefinitionInput, WorkflowNodeInput } from '../../../bot/src/core/workflow';

/** A workflow for tests: the given nodes, starting at the first. */
export const workflowOf = (
  nodes: WorkflowNodeInput[],
  overrides: Partial<WorkflowDefinitionInput> = {},
): WorkflowDefinitionInput => ({
  id: 'wf-test',
  tenantId: 't-1',
  type: 'workflow',
  unitId: 'unit-1',
  name: 'Test workflow',
  start: nodes[0]?.id ?? 'start',
  nodes,
  ...overrides,
});
