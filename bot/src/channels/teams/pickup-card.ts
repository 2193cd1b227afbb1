import type { AgentView, PickupNotice, PickupSummary } from '../../services/agent-relay';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  card,
  channelLabel,
  formatDuration,
  heading,
  literal,
  note,
  runs,
} from './cards';
import { plain } from './texts';

/** Teams shows at most six actions on a card: more waiting chats are chosen from a list instead. */
export const MAX_CARD_ACTIONS = 6;
/** Waiting chats described on the card; the choice list holds more. */
const LISTED = 10;
/** Chats in the choice list, oldest first. */
const CHOICES = 50;
/** The input of the choice list; its value is `<queue> <taskId>`. */
export const PICKUP_CHOICE = 'pickupTask';

const noticeOf = (notice: PickupNotice): CardElement => {
  switch (notice.code) {
    case 'claimed':
      return runs('You took the chat with ', notice.customerName, '. It continues in its own card.');
    case 'taken':
      return note(plain.pickupTaken, false);
    case 'gone':
      return note(plain.pickupGone, false);
    case 'not-selectable':
      return note(plain.pickupNotSelectable, false);
  }
};

const waitingLine = (t: PickupSummary): CardElement => ({
  type: 'Container',
  spacing: 'Medium',
  // Names and the first message are the customer's words, the service name an admin's: TextRuns only.
  items: [
    literal(t.customer.displayName, { weight: 'Bolder' }),
    runs(`${channelLabel(t.channel)} · `, t.serviceName, ` · waiting ${formatDuration(t.waitedMs)}`),
    ...(t.firstMessage ? [literal(t.firstMessage)] : []),
  ],
});

const refData = (t: PickupSummary): Record<string, string> => ({ queue: t.ref.queue, taskId: t.ref.taskId });

/**
 * The answer to "pickup" and to a claim: what waits in the Pickup queues of the agent's services,
 * oldest first, each with a Claim button, or one list to choose from when there are more than Teams
 * shows as buttons.
 */
export function pickupCard(view: Extract<AgentView, { kind: 'pickup' }>): AdaptiveCard {
  const { tasks } = view;
  const body: CardElement[] = [
    ...(view.notice ? [noticeOf(view.notice)] : []),
    heading(tasks.length === 0 ? 'No chats waiting for pickup' : `Waiting for pickup (${tasks.length})`),
    ...tasks.slice(0, LISTED).map(waitingLine),
  ];
  if (tasks.length === 0)
    body.push(note('Chats of your services that wait for pickup show up here. Send pickup to look again.'));
  if (tasks.length > LISTED) body.push(note(`And ${tasks.length - LISTED} more in the list below.`));
  if (tasks.length <= MAX_CARD_ACTIONS) {
    const actions: CardAction[] = tasks.map((t) => ({
      type: 'Action.Execute',
      title: `Claim ${t.customer.displayName}`,
      verb: 'pickup.claim',
      data: refData(t),
      style: 'positive',
    }));
    return card(body, actions);
  }
  body.push({
    type: 'Input.ChoiceSet',
    id: PICKUP_CHOICE,
    label: 'Chat to claim',
    style: 'compact',
    isRequired: true,
    errorMessage: 'Choose a chat first.',
    value: `${tasks[0]!.ref.queue} ${tasks[0]!.ref.taskId}`,
    choices: tasks.slice(0, CHOICES).map((t) => ({
      title: `${t.customer.displayName} · ${t.serviceName} · waiting ${formatDuration(t.waitedMs)}`,
      value: `${t.ref.queue} ${t.ref.taskId}`,
    })),
  });
  return card(body, [{ type: 'Action.Execute', title: 'Claim', verb: 'pickup.claim', data: {}, style: 'positive' }]);
}
