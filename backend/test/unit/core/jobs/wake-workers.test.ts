import { describe, expect, it } from 'vitest';
import { wakeWorkersOnSubmit } from '../../../../src/core/jobs/wake-workers.js';
import type { FanOutMessage } from '../../../../src/core/ports/fan-out.js';
import { InProcessFanOut } from '../../../../src/fanout/in-process-fan-out.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('waking the workers when jobs are accepted', () => {
  it('announces jobs accepted in one turn once, and wakes the worker each time it announces', async () => {
    const fanOut = new InProcessFanOut();
    const heard: FanOutMessage[] = [];
    fanOut.subscribe((message) => heard.push(message));
    const jobs = { onSubmitted: () => {} };
    let wakes = 0;
    wakeWorkersOnSubmit(jobs, { wake: () => wakes++ }, fanOut);

    for (let n = 0; n < 256; n++) jobs.onSubmitted(); // one group commit's answers
    await nextTurn();
    expect(heard).toEqual([{ kind: 'jobs-queued' }]);
    expect(wakes).toBe(1);

    jobs.onSubmitted();
    await nextTurn();
    expect(heard).toHaveLength(2);
    expect(wakes).toBe(2);
  });
});
