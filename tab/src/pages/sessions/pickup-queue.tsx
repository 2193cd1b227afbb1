import {
  Badge,
  Button,
  Caption1,
  Card,
  CardHeader,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { ClaimResult, PickupQueue, type PickupTask } from '../../../../bot/src/contracts';
import { ErrorBar } from '../../components/status';
import { useApp } from '../../context';
import { navigate } from '../../router';
import { plainList } from '../../styles';
import { useAction, useGet } from '../../use-load';
import { channelLabel } from './labels';

const useStyles = makeStyles({
  list: plainList(tokens.spacingVerticalXS),
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
});

/** How long a customer has waited, in whole minutes once past the first one. */
export function formatWaited(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The Pickup queues of the agent's services: chats that get no offers and wait for a member to claim
 * one. It reloads whenever `changed` does (My Sessions passes its overview, which the event stream
 * refreshes, pickup changes included). The first claim wins; a late one hears who was faster.
 */
export function PickupQueueSection({ changed }: { changed: unknown }) {
  const styles = useStyles();
  const { api } = useApp();
  const queue = useGet(PickupQueue, '/me/pickup');
  const reload = useRef(queue.reload);
  reload.current = queue.reload;
  const first = useRef(true);
  const action = useAction();
  // The waiting times move on between reloads.
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void reload.current();
  }, [changed]);
  useEffect(() => setReceivedAt(Date.now()), [queue.data]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const tasks = queue.data?.tasks ?? [];
  const claim = async (task: PickupTask) => {
    const result = await action.run(() =>
      api.call(
        ClaimResult,
        'POST',
        `/me/pickup/${encodeURIComponent(task.serviceId)}/${encodeURIComponent(task.taskId)}/claim`,
      ),
    );
    await queue.reload();
    if (result) navigate('sessions', 'chat', result.chatId);
  };
  return (
    <section aria-labelledby="pickup-heading">
      <div className={styles.title}>
        <Subtitle2 block as="h2" id="pickup-heading">
          Waiting for pickup
        </Subtitle2>
        {tasks.length > 0 && (
          <Badge appearance="filled" color="informative" aria-label={`${tasks.length} waiting for pickup`}>
            {tasks.length}
          </Badge>
        )}
      </div>
      {queue.error && <ErrorBar error={queue.error} onRetry={() => void queue.reload()} />}
      {action.error && <ErrorBar error={action.error} onDismiss={action.clear} />}
      {queue.data && tasks.length === 0 && <Caption1>No chats waiting for pickup in your services.</Caption1>}
      {tasks.length > 0 && (
        <ul className={styles.list} aria-live="polite">
          {tasks.map((t) => (
            <li key={t.taskId}>
              <Card aria-label={`Waiting for pickup: ${t.customer.displayName}`}>
                <CardHeader
                  header={<Text weight="semibold">{t.customer.displayName}</Text>}
                  description={
                    <Caption1>
                      {t.serviceName} · {channelLabel[t.channel]} · waiting{' '}
                      {formatWaited(t.waitedMs + Math.max(0, now - receivedAt))}
                    </Caption1>
                  }
                />
                {t.firstMessage && <Text className={styles.text}>{t.firstMessage}</Text>}
                <div>
                  <Button
                    appearance="primary"
                    disabled={action.busy}
                    onClick={() => void claim(t)}
                    aria-label={`Claim chat with ${t.customer.displayName}`}
                  >
                    Claim
                  </Button>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
