/** What both benchmarks use: reading event-stream frames, and the Interact settings of their contacts. */

/** One server-sent event as the benchmarks read it: its name, its id (if any) and its data text. */
export type SseFrame = { event: string; id: number | null; data: string };

/**
 * Takes the complete frames off the front of `buffer` (text read so far from an event stream) and
 * returns them with what is left over for the next chunk. Comments and frames without data are dropped.
 */
export function takeSseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  let rest = buffer;
  let i: number;
  while ((i = rest.indexOf('\n\n')) >= 0) {
    const frame = rest.slice(0, i);
    rest = rest.slice(i + 2);
    let event = 'message';
    let id: number | null = null;
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = Number(line.slice(4));
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (data) frames.push({ event, id, data });
  }
  return { frames, rest };
}

/** Interact settings of a bench contact: active, chat only, open to any page. */
export const benchInteract = (c: { id: string; key: string }) => ({
  active: true,
  audioVideo: false,
  instantMessaging: true,
  directSystemMessagesId: null,
  restrictAccess: false,
  domainTemplateIds: [],
  contactId: c.id,
  widgetKey: c.key,
  privacyPolicyUrl: null,
});

/** A user of the bench tenant in unit `unit`, IM on with one chat at a time, reachable by `interact`. */
export const benchUser = (
  tenantId: string,
  u: { id: string; displayName: string; email: string },
  interact: ReturnType<typeof benchInteract>,
) => ({
  ...u,
  tenantId,
  type: 'user' as const,
  active: true,
  unitId: 'unit',
  im: { enabled: true, maxConcurrentChats: 1 },
  interact,
});

/** Distribution of the bench services: one chat per agent, Available only, a short RONA. */
export const benchDistribution = {
  maxConcurrentChatsPerUser: 1,
  selectableWhenBusy: false,
  selectableWhenAway: false,
  ronaResetSeconds: 10,
  persistentRona: false,
};
