import { useApp } from '../../context';
import { InteractSettingsPage } from './interact-settings';

/** The signed-in user's own Interact tab (shown only with their Interact user license). */
export function MyInteract() {
  const { me } = useApp();
  return <InteractSettingsPage kind="user" id={me.userId} heading="My Interact settings" />;
}
