import { nextAcceptInterval, queuePosition, sortQueue } from '../../../bot/src/core/routing';
import { queuedTask, task } from '../../helpers/fixtures';

const T = 't';

describe('queue order', () => {
  it('puts Strict first, then High, Normal, Low, and within a priority the longest waiting first', () => {
    const queue = [
      queuedTask(T, 'low-old', { priority: 'low' }, 1),
      queuedTask(T, 'normal-new', { priority: 'normal' }, 50),
      queuedTask(T, 'high', { priority: 'high' }, 40),
      queuedTask(T, 'normal-old', { priority: 'normal' }, 10),
      queuedTask(T, 'strict-newest', { priority: 'strict' }, 99),
    ];
    expect(sortQueue(queue).map((t) => t.id)).toEqual(['strict-newest', 'high', 'normal-old', 'normal-new', 'low-old']);
  });

  it('orders equal priority and time by id, and leaves out tasks that are not queued', () => {
    const queue = [
      queuedTask(T, 'b', {}, 5),
      queuedTask(T, 'a', {}, 5),
      task(T, 'in-workflow', { state: 'in-workflow' }),
    ];
    expect(sortQueue(queue).map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('does not reorder its input', () => {
    const queue = [queuedTask(T, 'late', {}, 9), queuedTask(T, 'early', {}, 1)];
    sortQueue(queue);
    expect(queue.map((t) => t.id)).toEqual(['late', 'early']);
  });
});

describe('queue position and estimated wait', () => {
  const sorted = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('is 1-based with the queue length', () => {
    expect(queuePosition(sorted, 'b', null)).toEqual({ position: 2, queueLength: 3, estimatedWaitSeconds: null });
  });

  it('estimates the wait from the average interval between accepts', () => {
    expect(queuePosition(sorted, 'c', 20_000)?.estimatedWaitSeconds).toBe(60);
  });

  it('is undefined for a task not in the queue', () => {
    expect(queuePosition(sorted, 'zz', 1000)).toBeUndefined();
  });

  it('averages accept intervals with recent ones weighing most', () => {
    const first = nextAcceptInterval({ lastAcceptAt: null, avgAcceptIntervalMs: null }, 1_000);
    expect(first).toEqual({ lastAcceptAt: 1_000, avgAcceptIntervalMs: null });
    const second = nextAcceptInterval(first, 11_000);
    expect(second).toEqual({ lastAcceptAt: 11_000, avgAcceptIntervalMs: 10_000 });
    const third = nextAcceptInterval(second, 16_000);
    expect(third.avgAcceptIntervalMs).toBe(9_000);
  });
});
