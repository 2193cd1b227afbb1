import { z } from 'zod/v4';

/** Node ids are chosen by the workflow's author and appear in errors and traces, so they stay readable. */
export const NodeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'may contain only letters, digits, - and _');
export type NodeId = z.infer<typeof NodeId>;

/** Exit names: lower-case words joined by "-", as activities and Input Customer choices name them. */
export const ExitName = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and -');

/** Workflow parameters are named like identifiers so `{{param.name}}` reads unambiguously in templates. */
export const ParameterName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and contain only letters, digits and _');

/** Longest value a parameter holds; longer values are cut, since they end up in chat messages and requests. */
export const MAX_PARAMETER_LENGTH = 1000;

/** Text with `{{placeholders}}`; placeholders are checked by validation, not here. */
export const TemplateText = z.string().max(2000);

/** Customer waits: long enough to type, short enough that a forgotten chat does not hold a task for days. */
export const CustomerTimeoutSeconds = z
  .number()
  .int()
  .min(10)
  .max(24 * 3600);
