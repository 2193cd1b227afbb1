import { z } from 'zod/v4';

/** The one error shape every endpoint answers with: the widget API, the tab API and the webhooks. */
export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** A field a request got wrong: `details` of a 400 "invalid-request" lists these (`path` as `senders.0.serviceId`). */
export const RequestProblem = z.object({ path: z.string(), message: z.string() });
export type RequestProblem = z.infer<typeof RequestProblem>;

/** A field a saved change breaks a rule with: `details` of the admin pages' and the settings' refusals. */
export const FieldProblem = z.object({ field: z.string(), message: z.string() });
export type FieldProblem = z.infer<typeof FieldProblem>;
