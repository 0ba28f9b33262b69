import { expect, it } from 'vitest';
import { createMemoryMetrics } from './memory-metrics.js';

it('prints every defined metric in the Prometheus text format, with its series', () => {
  const registry = createMemoryMetrics();
  registry.count('cartrita_tool_calls_total', { status: 'failed' });
  registry.count('cartrita_tool_calls_total', { status: 'completed' }, 3);
  registry.count('cartrita_tool_calls_total', { status: 'completed' }, -1);
  registry.observe('cartrita_sandbox_seconds', 0.004);
  registry.observe('cartrita_sandbox_seconds', 2);
  registry.count('cartrita_http_requests_total', { method: 'GET', route: 'a"b\\c\nd', status: 200 });
  const text = registry.text();
  const block = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name) || line.includes(` ${name} `))
      .join('\n');
  expect(block('cartrita_tool_calls_total')).toBe(
    [
      '# HELP cartrita_tool_calls_total Tool calls, by outcome (completed, failed).',
      '# TYPE cartrita_tool_calls_total counter',
      'cartrita_tool_calls_total{status="failed"} 1',
      'cartrita_tool_calls_total{status="completed"} 3',
    ].join('\n'),
  );
  expect(block('cartrita_sandbox_seconds')).toBe(
    [
      '# HELP cartrita_sandbox_seconds How long user code ran in the sandbox per call, in seconds.',
      '# TYPE cartrita_sandbox_seconds histogram',
      'cartrita_sandbox_seconds_bucket{le="0.001"} 0',
      'cartrita_sandbox_seconds_bucket{le="0.005"} 1',
      'cartrita_sandbox_seconds_bucket{le="0.01"} 1',
      'cartrita_sandbox_seconds_bucket{le="0.05"} 1',
      'cartrita_sandbox_seconds_bucket{le="0.1"} 1',
      'cartrita_sandbox_seconds_bucket{le="0.5"} 1',
      'cartrita_sandbox_seconds_bucket{le="1"} 1',
      'cartrita_sandbox_seconds_bucket{le="5"} 2',
      'cartrita_sandbox_seconds_bucket{le="30"} 2',
      'cartrita_sandbox_seconds_bucket{le="+Inf"} 2',
      'cartrita_sandbox_seconds_sum 2.004',
      'cartrita_sandbox_seconds_count 2',
    ].join('\n'),
  );
  expect(text).toContain(
    'cartrita_http_requests_total{method="GET",route="a\\"b\\\\c\\nd",status="200"} 1\n',
  );
  expect(text).toContain('# TYPE cartrita_commands_total counter\n# HELP cartrita_command_duration_seconds');
  expect(text.endsWith('\n')).toBe(true);
  registry.reset();
  expect(registry.value('cartrita_tool_calls_total', { status: 'completed' })).toBe(0);
});
