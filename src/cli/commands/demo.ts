export interface DemoOptions {
  json: boolean;
}

/** The main job of `npm start`. Grows with each capability that lands. */
export async function demo(options: DemoOptions): Promise<void> {
  const summary = {
    status: 'nothing_configured',
    message: 'notion-sync is installed. Nothing is configured yet: the demo grows as capabilities land.',
  };
  if (options.json) console.log(JSON.stringify(summary));
  else console.log(summary.message);
}
