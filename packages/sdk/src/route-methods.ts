import type { RouteId } from '@cartrita/contracts';

/**
 * The client method that calls each route of the table, as a dotted path on a `CartritaClient`.
 * A test checks that every route of the table is here and that each path is a function.
 */
export const routeMethods: Readonly<Record<RouteId, string>> = {
  'health.get': 'health.check',
  'system.health': 'system.health',
  'chatkit.session.create': 'chatkit.createSession',
  'chatkit.request': 'chatkit.request',
  'chatkit.attachments.upload': 'chatkit.attachments.upload',
  'chatkit.attachments.upload_bytes': 'chatkit.attachments.uploadBytes',
  'chatkit.attachments.preview': 'chatkit.attachments.preview',
  'chat.create': 'chat.create',
  'chat.stream': 'chat.stream',
  'chat.stream_get': 'chat.streamGet',
  'chat.responses.cancel': 'chat.cancel',
  'studio.chat.create': 'studio.chat.create',
  'studio.chat.stream': 'studio.chat.stream',
  'chat.realtime': 'realtime.chat',
  'observability.logs.list': 'observability.logs.list',
  'observability.logs.create': 'observability.logs.create',
  'observability.metrics.get': 'observability.metrics',
  'observability.traces.get': 'observability.traces.get',
  'observability.prometheus': 'observability.prometheus',
};
