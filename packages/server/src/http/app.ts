import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { API_PREFIX, BroomError, parseJson, stringifyJson, type ApiError } from '@broom/core';
import { ServiceError } from '../controller/service-error.js';
import type { SweepManager } from '../controller/sweep-manager.js';
import { isStoreUnavailable } from '../store/store-errors.js';
import type { Store } from '../store/store.js';
import { AccessControl } from './access.js';
import { registerDashboard } from './dashboard-routes.js';
import { registerRoutes } from './routes.js';
import { registerLaunchRoutes } from './launch-routes.js';
import type { LaunchService } from '../launch/launch-service.js';
import { registerTokenRoutes } from './token-routes.js';

export interface AppOptions {
  manager: SweepManager;
  /** Sweeps on Launch: queues, launch agents, launch sweeps (their routes are registered when set). */
  launch?: LaunchService;
  store: Store;
  /** The bootstrap token: always accepted; when set, every request must carry a token. */
  token?: string;
  /**
   * Every request must carry `Authorization: Bearer <token>`: the bootstrap `token` or one created
   * with `broom token create` (the server listens off loopback). Implied by `token`.
   */
  requireToken?: boolean;
  /** Largest request body in bytes (default 8 MiB). */
  bodyLimit?: number;
  /** Seconds between an agent's heartbeats, told to agents when they register. */
  heartbeatIntervalS: number;
  version: string;
  log(line: string): void;
  /** The server's broom directory: the dashboard shows run logs that agents sharing it wrote there. */
  dir?: string;
}

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

function apiError(code: string, message: string): ApiError {
  return { error: { code, message } };
}

/**
 * The fastify app of broom's HTTP API. JSON only, read and written with core's `parseJson` and
 * `stringifyJson` (fastify's defaults would turn `1.0` into `1`); every error answers
 * `{error: {code, message}}`, and bad input is a 4xx, never a 500.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Sweep ids may be `project/id` (URL-encoded) and run ids are plain: no need for long params.
    routerOptions: { maxParamLength: 512, ignoreTrailingSlash: true },
    // Errors fastify raises before routing (a bad %-escape in the URL, a bad content type) answer
    // in broom's shape too.
    frameworkErrors: (error, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const message = error.code === 'FST_ERR_BAD_URL' ? `The URL ${JSON.stringify(request.url.slice(0, 200))} is not valid: a %-escape in it is broken.` : error.message;
      const body = stringifyJson(apiError(error.code ? error.code.toLowerCase() : 'bad-request', message));
      void (reply as FastifyReply).code(status).header('content-type', 'application/json; charset=utf-8').send(body);
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, parseJson(text, 'request body'));
    } catch (error) {
      done(new ServiceError(400, 'bad-json', (error as Error).message), undefined);
    }
  });
  app.setReplySerializer((payload) => stringifyJson(payload));

  const access = new AccessControl({ store: opts.store, bootstrapToken: opts.token });
  if (opts.token !== undefined || opts.requireToken) {
    app.addHook('onRequest', async (request, reply) => {
      if ((request.routeOptions.config as { public?: boolean } | undefined)?.public === true) return; // the dashboard's static files
      try {
        await access.check(request.headers.authorization);
      } catch (error) {
        if (error instanceof ServiceError) {
          if (error.status === 401) void reply.header('www-authenticate', 'Bearer');
          return reply.code(error.status).send(apiError(error.code, error.message));
        }
        throw error;
      }
    });
  }

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ServiceError) return reply.code(error.status).send(apiError(error.code, error.message));
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(apiError('unsupported-media-type', `The body must be JSON: send "Content-Type: application/json" (got "${request.headers['content-type'] ?? 'none'}").`));
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(apiError('body-too-large', `The body is larger than this server's limit of ${app.initialConfig.bodyLimit} bytes; send metrics in smaller batches.`));
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(apiError(fe.code ? fe.code.toLowerCase() : 'bad-request', fe.message));
    }
    if (isStoreUnavailable(error)) {
      opts.log(`The store failed on ${request.method} ${request.url.split('?')[0]}: ${error.message}`);
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(apiError('store-unavailable', `The server's database cannot answer now (${error.message}); try again shortly.`));
    }
    if (error instanceof BroomError) return reply.code(400).send(apiError(error.code, error.message));
    opts.log(`Internal error on ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return reply.code(500).send(apiError('internal', `The server failed on ${request.method} ${request.url}: ${error.message}`));
  });

  app.setNotFoundHandler((request, reply) => {
    const hint = request.url.startsWith(API_PREFIX) ? '' : ` The API is under ${API_PREFIX}.`;
    void reply.code(404).send(apiError('no-route', `No route ${request.method} ${request.url.split('?')[0]}.${hint}`));
  });

  await app.register(
    async (api) => {
      registerRoutes(api, opts);
      registerTokenRoutes(api, { store: opts.store, access });
      if (opts.launch) registerLaunchRoutes(api, opts.launch);
    },
    { prefix: API_PREFIX },
  );
  await registerDashboard(app, opts);
  return app;
}
