import { BroomError } from '@broom/core';

/** An error the HTTP layer answers with `status` and `{error: {code, message}}`. */
export class ServiceError extends BroomError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    data: Record<string, unknown> = {},
  ) {
    super(code, message, data);
  }
}

export const notFound = (kind: 'sweep' | 'run' | 'agent', id: string): ServiceError =>
  new ServiceError(404, `${kind}-not-found`, `No ${kind} with id "${id}" on this server.`, { id });
