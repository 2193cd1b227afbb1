import { Caption1, Subtitle2 } from '@fluentui/react-components';
import type { LicensesView } from '../../../../bot/src/contracts';
import { SwitchField } from '../../components/fields';
import { useAdminStyles } from './admin-ui';

/**
 * The tenant-level switches Interact and Instant Messaging depend on. They are set when the organization
 * is set up and no admin page changes them, so they are shown read-only, with what each one allows.
 */
export function TenantSwitches({ tenant }: { tenant: LicensesView['tenant'] }) {
  const styles = useAdminStyles();
  return (
    <section className={styles.card} aria-labelledby="tenant-switches-heading">
      <div>
        <Subtitle2 block as="h2" id="tenant-switches-heading">
          Your organization
        </Subtitle2>
        <Caption1 block>
          The preconditions of Interact and Instant Messaging, for the whole organization. They were set when the
          organization was set up and cannot be changed here; ask your support contact to change them.
        </Caption1>
      </div>
      <SwitchField
        label="Instant Messaging"
        hint={
          tenant.imEnabled
            ? 'On: chats from websites and WhatsApp become tasks for your agents.'
            : 'Off: no chat from a website or WhatsApp reaches your services or users.'
        }
        checked={tenant.imEnabled}
        disabled
        onChange={() => undefined}
      />
      <SwitchField
        label="Interact"
        hint={
          tenant.interactEnabled
            ? 'On: websites may embed the chat widget of your services and users.'
            : 'Off: no website chat widget reaches your services or users, whatever their own Interact settings say.'
        }
        checked={tenant.interactEnabled}
        disabled
        onChange={() => undefined}
      />
    </section>
  );
}
