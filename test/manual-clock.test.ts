import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/manual-clock.js';

describe(ManualClock, () => {
  it('wakes sleepers in time order as time advances', async () => {
    const clock = new ManualClock(1_000);
    const order: string[] = [];
    void clock.sleep(300).then(() => order.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => order.push(`a@${clock.now()}`));
    await clock.advance(200);
    expect(order).toEqual(['a@1100']);
    await clock.advance(200);
    expect(order).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1_400);
  });

  it('runs chains of sleeps within one advance', async () => {
    const clock = new ManualClock(0);
    let wakes = 0;
    const loop = (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(10);
        wakes++;
      }
    })();
    await clock.advance(50);
    await loop;
    expect(wakes).toBe(5);
  });

  it('rejects an aborted sleep', async () => {
    const clock = new ManualClock(0);
    const ctl = new AbortController();
    const p = clock.sleep(100, ctl.signal);
    ctl.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pendingSleepers).toBe(0);
  });
});
