import { describe, expect, it } from 'vitest';
import { deepLink } from './entities.js';

describe('deepLink', () => {
  it('names what comes after // and before the query, with the query as data', () => {
    expect(deepLink('chatkit-link://orders/open?id=42&tab=items')).toEqual({
      name: 'orders/open',
      data: { id: '42', tab: 'items' },
    });
  });

  it('leaves data out without a query, decodes the name and ignores a fragment', () => {
    expect(deepLink('chatkit-link://help%20centre#top')).toEqual({ name: 'help centre' });
    expect(deepLink('CHATKIT-LINK:settings?x=1#y')).toEqual({ name: 'settings', data: { x: '1' } });
  });
});
