import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { API_PREFIX, BroomError, parseJson, stringifyJson, type ApiError } from '@broom/core';
import { ServiceError } from '../controller/service-error.js';
import type { SweepManager } from '../controller/sweep-manager.js';
import type { Store } from '../store/store.js';
import { registerRoutes } from './routes.js';

export interface AppOptions {
  manager: SweepManager;
  store: Store;
  /** Every request must carry `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Largest request body in bytes (default 8 MiB). */
  bodyLimit?: number;
  /** Seconds between an agent's heartbeats, told to agents when they register. */
  heartbeatIntervalS: number;
  version: string;
  log(line: string): void;
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

  if (opts.token !== undefined) {
    const expected = digest(`Bearer ${opts.token}`);
    app.addHook('onRequest', async (request, reply) => {
      const given = request.headers.authorization;
      if (typeof given === 'string' && timingSafeEqual(digest(given), expected)) return;
      const message = given
        ? 'The token in the Authorization header is not this server\'s token.'
        : 'This server needs a token: send "Authorization: Bearer <token>" (broom reads it from BROOM_TOKEN or --token).';
      await reply.code(401).header('www-authenticate', 'Bearer').send(apiError('unauthorized', message));
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
    },
    { prefix: API_PREFIX },
  );
  return app;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
