/** @module The Express application of the reference server, built from the route table. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isStreamingRequestType,
  type RouteDef,
  type RouteId,
  routes,
  routesById,
  toExpressPath,
} from '@cartrita/contracts';
import {
  type ChatProvider,
  createDemoProvider,
  createEngine,
  createSigner,
  HttpError,
  metrics,
  untracedRoutes,
} from '@cartrita/engine';
import express, { type Express, type Request, type Response } from 'express';
import { sql } from 'kysely';
import type { AppContext } from './app-context.js';
import { createWorkerExtractor } from './areas/files/worker-extractor.js';
import { matchApiKey, minApiKeyLength } from './auth/api-keys.js';
import { type Config, ConfigError, readAgentSections, resolveSigningSecret } from './config.js';
import { createEventBus } from './events/index.js';
import { idempotency } from './http/idempotency.js';
import { validateInput } from './http/validate.js';
import { type AuthFailureLimiter, createAuthFailureLimiter } from './limits/auth-failures.js';
import { createLimits } from './limits/create-limits.js';
import type { LimiterFactory } from './limits/limiter.js';
import { createLogger, type Logger } from './logger.js';
import { authenticate, requireAuth } from './middleware/auth/index.js';
import { declaredLength, jsonBody, multipartBody } from './middleware/body/index.js';
import { cors } from './middleware/cors/index.js';
import { errorHandler } from './middleware/error-handler/index.js';
import { hostHeader } from './middleware/host-header/index.js';
import { notFound } from './middleware/not-found/index.js';
import { pathEncoding } from './middleware/path-encoding/index.js';
import { rateLimit } from './middleware/rate-limit/index.js';
import { requestId } from './middleware/request-id/index.js';
import { requestLog } from './middleware/request-log/index.js';
import {
  type AnsweredRequest,
  requestTelemetry,
  routeTelemetry,
} from './middleware/request-telemetry/index.js';
import { securityHeaders } from './middleware/security-headers/index.js';
import { stopping } from './middleware/stopping/index.js';
import { requestScope } from './process-guard.js';
import type { ProviderCaller } from './providers/call.js';
import { createGitHubClient } from './providers/github.js';
import { createHuggingFaceClient } from './providers/huggingface.js';
import { createServerProviderCalls } from './providers/provider-calls.js';
import { createToolProviders } from './providers/tool-providers.js';
import { routeHandlers } from './routes/index.js';
import { mountPages } from './routes/pages.js';
import type { HandlerContext } from './routes/types.js';
import { createSandboxPool } from './sandbox/index.js';
import { createFileBlobStore } from './storage/blob-store.js';
import { openDatabase } from './storage/open-database.js';
import { runnerId } from './storage/runner-id.js';
import { createStore, repositoriesOf } from './storage/store.js';
import { createServerTelemetry, createTraceContext, type ServerTelemetry } from './telemetry/index.js';

/** The server's version, from its package.json. */
export const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** A logger to use instead of one made from the configuration. */
  logger?: Logger;
  /**
   * Chat providers to serve besides the configured ones, each under its own `name` (a provider
   * named like a configured one replaces it).
   */
  providers?: readonly ChatProvider[];
}

/** An application and what it holds open. */
export interface CartritaApp {
  app: Express;
  context: AppContext;
  /** The failed-authentication budget, shared with the WebSocket doors. */
  authFailures: AuthFailureLimiter;
  /** Where the WebSocket doors count new connections: memory, or Redis with `REDIS_URL`. */
  limiter: LimiterFactory;
  /**
   * Lets running commands finish (until `deadlineMs`, then cancels them), stops the engine's
   * background work, and closes the event bus, the limits' Redis connection and the database; call
   * after the HTTP server stopped taking requests.
   */
  close(deadlineMs?: number): Promise<void>;
}

/** How often stored log entries and spans older than the retention are purged. */
const purgeIntervalMs = 60 * 60 * 1000;

/** The paths of the routes that record no span (health checks, scrapes). */
const untracedPaths: ReadonlySet<string> = new Set([...untracedRoutes].map((id) => routesById[id].path));

/** Counts an answered request in the HTTP metrics. */
const countRequest =
  (telemetry: ServerTelemetry) =>
  ({ method, route, status, seconds }: AnsweredRequest): void => {
    const labels = { method, route, status };
    telemetry.prometheus?.count(metrics.httpRequestsTotal.name, labels);
    telemetry.prometheus?.observe(metrics.httpRequestDuration.name, seconds, labels);
  };

/** Room in a multipart body for the form around the file: boundaries, part headers, small fields. */
const multipartOverhead = 64 * 1024;

/**
 * The body stage of a route, by the kind of body it takes. The declared length is refused before
 * anything else (413 at once, however large); a JSON body is read only after the caller is
 * authorised, and a multipart body is streamed by the route itself.
 */
const bodyStages = (route: RouteDef, config: Config) => {
  const jsonLimit = Math.max(config.http.bodyLimitBytes, route.maxBodyBytes ?? 0);
  if (route.bodyType === 'multipart') {
    // Recordings have their own limit (`VOICE_MAX_BYTES`); every other form carries an upload.
    const fileLimit =
      route.id === 'voice.process' ? config.providers.voice.maxBytes : config.uploads.maxBytes;
    return { check: multipartBody({ limit: fileLimit + multipartOverhead }), read: [] };
  }
  const check = declaredLength({ limit: jsonLimit });
  return route.body === undefined ? { check, read: [] } : { check, read: [jsonBody({ limit: jsonLimit })] };
};

/** The agent studio's sections of the configuration file, read again; a file gone wrong is a 422. */
const readAgentSectionsOf = (path: string) => {
  try {
    return readAgentSections(path);
  } catch (error) {
    if (error instanceof ConfigError) throw new HttpError('VALIDATION_ERROR', error.message);
    throw error;
  }
};

/** Runs a route's handler on its validated input, sending a returned value as JSON. */
const routeEndpoint = <K extends RouteId>(route: RouteDef & { id: K }, context: AppContext) => {
  // The table types each handler by its own route; here every route is served alike, so the handler
  // is looked up once, with the type of the route it serves.
  const handler = routeHandlers[route.id] as (ctx: HandlerContext<K>) => Promise<unknown>;
  return async function endpoint(req: Request, res: Response): Promise<void> {
    const input = validateInput(route, { params: req.params, query: req.query, body: req.body });
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client went away.'));
    });
    const result = await handler({
      req,
      res,
      ...(input as Pick<HandlerContext<K>, 'params' | 'query' | 'body'>),
      app: context,
      signal: controller.signal,
    });
    if (result !== undefined && !res.headersSent) res.status(route.response.status ?? 200).json(result);
  };
};

/** The computer-use model over the `openai` provider's key and base URL; loaded only when configured. */
const computerUseModelOf = async (
  openai: NonNullable<Config['providers']['openai']>,
  call: ProviderCaller,
) => {
  const { createComputerUseModel } = await import('./providers/computer-use.js');
  return createComputerUseModel({
    apiKey: openai.apiKey,
    ...(openai.baseURL ? { baseURL: openai.baseURL } : {}),
    timeoutMs: openai.timeoutMs,
    call,
  });
};

/**
 * Builds the application: opens storage (running migrations), builds the engine over it with the
 * configured providers, and mounts every route of the table with its auth, validation and
 * middleware. Every route has a handler: the handler map is typed by the table, so one that lacks
 * a route does not compile.
 */
export const createApp = async (config: Config, options: CreateAppOptions = {}): Promise<CartritaApp> => {
  const { apiKeys } = config.security;
  // A configured key of any shape counts as a credential wherever it appears in a logged URL.
  const isSecret = (value: string) =>
    apiKeys.length > 0 && value.length >= minApiKeyLength && matchApiKey(value, apiKeys) !== undefined;
  const traces = createTraceContext();
  const logger = options.logger ?? createLogger(config.logging, { isSecret, traceId: traces.traceId });
  const signer = createSigner(await resolveSigningSecret(config));
  // With REDIS_URL, instances share the bus and every budget; without it, this process has its own.
  const redisUrl = config.redis?.url.reveal();
  const bus = await createEventBus({ redisUrl, logger });
  const limits = await createLimits({ redisUrl, logger }).catch(async (error: unknown) => {
    await bus.close();
    throw error;
  });
  const database = await openDatabase({ url: config.database.url, dataDir: config.dataDir });
  const store = createStore(database.db);
  const telemetry = createServerTelemetry({
    repositories: store,
    context: traces,
    tracing: config.observability.enableTracing,
    metrics: config.observability.enableMetrics,
    langfuse: config.observability.langfuse,
    version,
    onError: (error, what) =>
      logger.warn(
        { err: error },
        what === 'langfuse' ? 'Sending spans to Langfuse failed' : 'Storing spans or log entries failed',
      ),
  });
  const blobs = createFileBlobStore(join(config.dataDir, 'blobs'));
  const providers: ChatProvider[] = [createDemoProvider({ paceMs: config.demo.paceMs })];
  if (config.providers.openai) {
    // Loaded only when configured: the openai package is the heaviest import of the server.
    const { createOpenAIProvider } = await import('./providers/openai.js');
    providers.push(createOpenAIProvider(config.providers.openai));
  }
  const { github, huggingface } = config.providers;
  if (huggingface) {
    const { createHuggingFaceChatProvider } = await import('./providers/huggingface-chat.js');
    providers.push(createHuggingFaceChatProvider(huggingface));
  }
  providers.push(...(options.providers ?? []));
  const providerCalls = createServerProviderCalls({
    config,
    telemetry: telemetry.telemetry,
    redis: limits.redis,
    extraProviders: (options.providers ?? []).map((provider) => provider.name),
  });
  // The GitHub, Hugging Face inference and computer-use calls go through the same wrapper: limits, cache, spans, metrics.
  const call: ProviderCaller = (spec, run) => providerCalls.call(spec, run);
  const tools = await createToolProviders(config.providers);
  const { streaming } = config;
  const engine = createEngine({
    repositories: repositoriesOf(store),
    blobs,
    signer,
    providers: { list: providers, default: config.providers.default },
    uploads: { maxBytes: config.uploads.maxBytes, allowedTypes: config.uploads.allowedTypes },
    sessions: {
      ttlSeconds: config.sessions.ttlSeconds,
      requireApiKey: config.security.requireApiKeyForSessions,
    },
    resumeGraceMs: streaming.resumeGraceMs,
    replies: { maxConcurrent: streaming.maxReplies, maxConcurrentPerUser: streaming.maxRepliesPerUser },
    bus,
    commands: {
      runnerId: await runnerId(config.dataDir),
      defaultTimeoutSeconds: config.commands.defaultTimeoutSeconds,
      maxQueuedPerSession: config.commands.maxQueuedPerSession,
    },
    sandbox: createSandboxPool({
      workers: config.sandbox.workers,
      limits: { memoryBytes: config.sandbox.memoryBytes, defaultTimeoutMs: config.sandbox.timeoutMs },
      moduleMemoryBytes: 2 * config.sandbox.memoryBytes,
      logger,
    }),
    fetchAllowlist: config.sandbox.fetchAllowlist,
    logger,
    telemetry: telemetry.telemetry,
    providerCalls,
    readConfigFile: () => (config.configFile ? readAgentSectionsOf(config.configFile) : {}),
    files: { extractor: createWorkerExtractor(), maxBytes: config.uploads.maxBytes },
    ...(github ? { github: createGitHubClient({ ...github, call }) } : {}),
    ...(huggingface ? { huggingface: createHuggingFaceClient({ ...huggingface, call }) } : {}),
    computerUse: {
      ...(config.providers.openai ? { model: await computerUseModelOf(config.providers.openai, call) } : {}),
      limits: config.providers.computerUse,
    },
    search: tools.search,
    voice: tools.voice,
  });
  await engine.config.ready();
  await engine.chat.recoverInterrupted();
  const recovered = await engine.commands.recover();
  if (recovered.failed > 0) {
    logger.warn(recovered, 'Commands that were running when the server last stopped were marked failed');
  }
  // Files a stopped server left unprocessed are processed now.
  const unfinishedFiles = await engine.fileQueue.recover();
  if (unfinishedFiles > 0) {
    logger.info(
      { files: unfinishedFiles },
      'Files left unprocessed when the server last stopped are queued again',
    );
  }
  // Commands of a server that died (their lease ran out) are ended, and queues nobody runs resumed.
  const sweep = setInterval(() => {
    engine.commands
      .sweep()
      .catch((error: unknown) => logger.error({ err: error }, 'The command sweep failed'));
  }, 30_000);
  sweep.unref();
  const { retentionDays } = config.observability;
  const purge = () =>
    engine.observability
      .purge(new Date(Date.now() - retentionDays * 24 * 60 * 60 * 1000))
      .catch((error: unknown) => logger.warn({ err: error }, 'Purging old log entries and spans failed'));
  let purgeTimer: ReturnType<typeof setInterval> | undefined;
  if (retentionDays > 0) {
    await purge();
    purgeTimer = setInterval(purge, purgeIntervalMs);
    purgeTimer.unref();
  }
  const context: AppContext = {
    config,
    logger,
    version,
    startedAt: Date.now(),
    engine,
    store,
    blobs,
    bus,
    streaming,
    telemetry,
    ping: async () => {
      await sql`select 1`.execute(database.db);
    },
    database: { engine: database.engine },
    sockets: { chat: 0, events: 0, studio: 0 },
    lifecycle: { stopping: false },
  };

  const authFailures = createAuthFailureLimiter({
    limit: config.rateLimit.authFailuresPerMinute,
    limiter: limits.limiter,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);
  app.set('etag', false);
  app.use(requestId());
  app.use(
    requestTelemetry({
      tracer: telemetry.tracer,
      context: traces,
      onResponse: countRequest(telemetry),
      skip: (req) => untracedPaths.has(req.path),
    }),
  );
  app.use(requestScope({ logger }));
  app.use(requestLog({ logger, isSecret }));
  app.use(securityHeaders());
  app.use(stopping({ isStopping: () => context.lifecycle.stopping }));
  app.use(cors({ origins: config.security.corsOrigins }));
  app.use(hostHeader());
  app.use(pathEncoding());
  // Never answers by itself: each route's requireAuth decides what a refused credential means.
  app.use(
    authenticate({
      apiKeys,
      verifyClientSecret: (token) => engine.chatkitSessions.verify(token),
    }),
  );
  app.use(
    rateLimit({
      limit: config.rateLimit.perMinute,
      authenticatedLimit: config.rateLimit.authenticatedPerMinute,
      limiter: limits.limiter,
      skip: (req) => req.path === '/health' || req.path === '/api/health',
    }),
  );

  mountPages(app, context);
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    const { json, sse }: RouteDef['response'] = route.response;
    // Streamed answers cannot be replayed: their Idempotency-Key is ignored (see the middleware).
    const streams = (req: Request) =>
      sse !== undefined && (json === undefined || isStreamingRequestType(String(req.body?.type)));
    const body = bodyStages(route, config);
    app[method](
      toExpressPath(route.path),
      routeTelemetry(route),
      body.check,
      requireAuth(route.auth, { failures: authFailures }),
      ...body.read,
      idempotency(store.idempotency, { skip: streams }),
      routeEndpoint(route, context),
    );
  }

  app.use(notFound());
  app.use(errorHandler({ logger, isSecret }));

  return {
    app,
    context,
    authFailures,
    limiter: limits.limiter,
    close: async (deadlineMs = config.commands.shutdownDeadlineSeconds * 1000) => {
      context.lifecycle.stopping = true;
      clearInterval(sweep);
      clearInterval(purgeTimer);
      await engine.commands.drain(deadlineMs);
      await engine.fileQueue.stop();
      await engine.idle();
      await engine.chat.stopAll();
      await engine.sandbox.close();
      await bus.close();
      await limits.close();
      // Every span and log entry is written before the database closes.
      await telemetry.close();
      traces.close();
      await database.close();
    },
  };
};
