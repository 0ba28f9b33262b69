import { routes } from '@cartrita/contracts';
import { implementations } from '@cartrita/msw';
import { CartritaClient, routeMethods } from '@cartrita/sdk';
import { describe, expect, it } from 'vitest';
import { routeHandlers } from '../reference-server/src/routes/index.js';

const ids = routes.map((route) => route.id);

const methodAt = (client: CartritaClient, dotted: string): unknown =>
  dotted
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], client);

describe('every route of the table', () => {
  it.each(ids)('%s has a server handler', (id) => {
    expect(typeof routeHandlers[id]).toBe('function');
  });

  it.each(ids)('%s has an SDK method', (id) => {
    const dotted = routeMethods[id];
    expect(dotted).toBeTypeOf('string');
    expect(typeof methodAt(new CartritaClient(), dotted)).toBe('function');
  });

  it.each(ids)('%s has an MSW handler', (id) => {
    expect(typeof implementations[id]).toBe('function');
  });

  it('has nothing in the server, SDK or mocks that the table lacks', () => {
    expect(Object.keys(routeHandlers).sort()).toEqual([...ids].sort());
    expect(Object.keys(routeMethods).sort()).toEqual([...ids].sort());
    expect(Object.keys(implementations).sort()).toEqual([...ids].sort());
  });
});
