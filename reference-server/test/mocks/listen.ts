/** @module Starting the mocked providers beside a server under test. */
import type { SetupServer } from 'msw/node';

/**
 * Starts intercepting: requests to the servers under test (on 127.0.0.1) pass through, and any other
 * request that no handler answers fails the test, so a provider call never reaches the internet.
 */
export const listenBesideLoopback = (upstream: SetupServer): void =>
  upstream.listen({
    onUnhandledFrame: ({ frame, defaults }) => {
      const request = (frame.data as { request?: Request }).request;
      if (!request || new URL(request.url).hostname !== '127.0.0.1') defaults.error();
    },
  });
