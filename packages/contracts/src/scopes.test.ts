import { describe, expect, it } from 'vitest';
import { clientSecretScopes, grantsScope, scopeNames } from './scopes.js';
import { routes } from './table.js';

describe('scopes', () => {
  it('lets admin stand for every scope', () => {
    expect(grantsScope(['admin'], 'github')).toBe(true);
    expect(grantsScope(['chat'], 'chat')).toBe(true);
    expect(grantsScope(['chat'], 'voice')).toBe(false);
    expect(grantsScope([], 'chat')).toBe(false);
  });

  it('lets the sessions scope read events, and nothing else', () => {
    expect(grantsScope(['sessions'], 'events')).toBe(true);
    expect(grantsScope(['events'], 'sessions')).toBe(false);
    expect(grantsScope(['sessions'], 'chat')).toBe(false);
  });

  it('gives client secrets the chat and events scopes only', () => {
    expect(clientSecretScopes).toEqual(['chat', 'events']);
  });

  it('names a known scope, or none, on every route of the table', () => {
    for (const route of routes) {
      const auth = route.auth as 'none' | { scope: string };
      if (auth === 'none') continue;
      expect(scopeNames, route.id).toContain(auth.scope);
    }
  });
});
