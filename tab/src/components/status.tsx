import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

const useStyles = makeStyles({
  center: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    color: tokens.colorNeutralForeground3,
    textAlign: 'center',
  },
});

export function Loading({ label }: { label: string }) {
  const styles = useStyles();
  return (
    <div className={styles.center}>
      <Spinner label={label} />
    </div>
  );
}

/** An error the person can act on: the server's sentence, and Retry where retrying can help. */
export function ErrorBar({
  error,
  title,
  onRetry,
  onDismiss,
}: {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  const retryable = error.status === 0 || error.status >= 500 || error.code === 'concurrent-change';
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {title && <MessageBarTitle>{title}</MessageBarTitle>}
        {error.message}
      </MessageBarBody>
      {(onRetry && retryable) || onDismiss ? (
        <MessageBarActions>
          {onRetry && retryable && <Button onClick={onRetry}>Retry</Button>}
          {onDismiss && <Button onClick={onDismiss}>Dismiss</Button>}
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.empty}>
      <Text weight="semibold">{title}</Text>
      {children && <Text size={200}>{children}</Text>}
    </div>
  );
}
