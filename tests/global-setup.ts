import { buildTab } from '../scripts/build-tab';
import { buildWidget } from '../scripts/build-widget';

/** Browser tests load the real widget bundle and the real tab; build both once per run. */
export default async function globalSetup(): Promise<void> {
  await Promise.all([buildWidget({ quiet: true }), buildTab({ quiet: true })]);
}
