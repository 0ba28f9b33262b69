import { createInProcessEventBus } from '@cartrita/engine';
import { describe, onTestFinished } from 'vitest';
import { eventBusConformance } from './conformance.js';

describe('the in-process bus', () => {
  eventBusConformance(async (options = {}) => {
    const errors: unknown[] = [];
    const bus = createInProcessEventBus({ ...options, onError: (error) => errors.push(error) });
    onTestFinished(() => bus.close());
    return { publisher: bus, subscriber: bus, reported: () => errors };
  });
});
