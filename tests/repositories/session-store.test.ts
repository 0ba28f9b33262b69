import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

const inOneHour = () => new Date(Date.now() + 3_600_000);

describe.each(implementations)('session store on $name', (implementation) => {
  it('creates a session and reads it back', async () => {
    const { store } = await implementation.open();
    const expiresAt = inOneHour();
    const session = await store.sessions.create({ user_id: 'usr_a', expires_at: expiresAt });
    expect(session).toMatchObject({ user_id: 'usr_a', expires_at: expiresAt.toISOString(), revoked: false });
    expect(session.id).toMatch(/^sess_[0-9a-f]{16}$/);
    expect(await store.sessions.get(session.id)).toEqual(session);
    expect(await store.sessions.getActive(session.id)).toEqual(session);
    expect(await store.sessions.get('sess_missing')).toBeUndefined();
  });

  it('treats a revoked session as inactive', async () => {
    const { store } = await implementation.open();
    const session = await store.sessions.create({ id: 'sess_1', user_id: 'usr_a', expires_at: inOneHour() });
    expect(await store.sessions.revoke(session.id)).toBe(true);
    expect(await store.sessions.get(session.id)).toMatchObject({ revoked: true });
    expect(await store.sessions.getActive(session.id)).toBeUndefined();
    expect(await store.sessions.revoke('sess_missing')).toBe(false);
  });

  it('treats an expired session as inactive and purges it', async () => {
    const { store } = await implementation.open();
    const session = await store.sessions.create({ user_id: 'usr_a', expires_at: '2026-01-01T00:00:00Z' });
    const live = await store.sessions.create({ user_id: 'usr_a', expires_at: inOneHour() });
    expect(await store.sessions.getActive(session.id, new Date('2025-12-31T23:59:59Z'))).toEqual(session);
    expect(await store.sessions.getActive(session.id, new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(await store.sessions.purgeExpired(new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(await store.sessions.get(session.id)).toBeUndefined();
    expect(await store.sessions.get(live.id)).toEqual(live);
  });
});
