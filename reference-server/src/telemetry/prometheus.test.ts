import { expect, it } from 'vitest';
import { spellNaN } from './prometheus.js';

it("spells prom-client's not-a-number samples as the exposition format does, and nothing else", () => {
  const text = [
    '# HELP nodejs_eventloop_lag_mean_seconds The mean of the recorded event loop delays.',
    '# TYPE nodejs_eventloop_lag_mean_seconds gauge',
    'nodejs_eventloop_lag_mean_seconds Nan',
    'cartrita_requests_total{route="/Nan"} 3',
  ].join('\n');
  expect(spellNaN(text).split('\n').slice(2)).toEqual([
    'nodejs_eventloop_lag_mean_seconds NaN',
    'cartrita_requests_total{route="/Nan"} 3',
  ]);
});
