import { buildWidget } from '../scripts/build-widget';

/** Browser tests load the real widget bundle; build it once per run. */
export default async function globalSetup(): Promise<void> {
  await buildWidget({ quiet: true });
}
