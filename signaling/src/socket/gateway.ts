// The Socket.IO adapter: authenticates the handshake, turns `request` events into calls on the
// connection's ClientSession (after budget, size and schema checks) and the session's notifications
// into `notification` emits. A bad message gets an error ack and changes nothing.
import type { Ack, ErrorBody } from '../protocol/index.js';
import { ProtocolError } from '../protocol/index.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Logger } from '../logger.js';
import { ClientSession, type SessionDeps } from '../live/client-session.js';
import { toProtocolError } from '../live/errors.js';
import { ADMINS_CHANNEL, institutionChannel, userChannel } from './channels.js';
import { parseRequest } from './request-envelope.js';
import { TELEMETRY_BUDGET, TokenBucket, VIEWING_STATE_BUDGET, type BucketOptions } from './token-bucket.js';
import type { TelemedServer, TelemedSocket } from './types.js';

export interface GatewayDeps extends SessionDeps {
  auth: AuthService;
  logger: Logger;
  requestBudget: BucketOptions;
}

type AckFn = (ack: Ack<unknown>) => void;

const failure = (error: ErrorBody): Ack<unknown> => ({ ok: false, error });

export function attachGateway(io: TelemedServer, deps: GatewayDeps): void {
  const logger = deps.logger.child({ component: 'socket' });

  // Checked once, at the handshake: an access token expiring during a call does not end the call;
  // a reconnection needs a fresh one.
  io.use((socket, next) => {
    const token = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    deps.auth.authenticate(token).then(
      ({ user }) => {
        socket.data.user = user;
        next();
      },
      () => next(new Error('UNAUTHORIZED')),
    );
  });

  io.on('connection', (socket) => onConnection(socket, deps, logger));
}

function onConnection(socket: TelemedSocket, deps: GatewayDeps, parentLogger: Logger): void {
  const user = socket.data.user;
  const logger = parentLogger.child({ socketId: socket.id, userId: user.id });
  void socket.join(userChannel(user.id));
  void socket.join(institutionChannel(user.institution.id));
  if (user.role === 'admin') void socket.join(ADMINS_CHANNEL);

  const session = new ClientSession(
    user,
    (method, data) => socket.emit('notification', { method, data }),
    deps,
    {
      join: (channel) => void socket.join(channel),
      leave: (channel) => void socket.leave(channel),
    },
  );
  const general = new TokenBucket(deps.requestBudget);
  const viewing = new TokenBucket(VIEWING_STATE_BUDGET);
  const telemetry = new TokenBucket(TELEMETRY_BUDGET);
  const budgetFor = (envelope: unknown): TokenBucket => {
    const method = (envelope as { method?: unknown } | null)?.method;
    return method === 'viewing:state' ? viewing : method === 'telemetry:push' ? telemetry : general;
  };
  logger.debug('socket connected');

  socket.on('request', (...args: unknown[]) => {
    const ack = args.at(-1);
    // Without an ack there is nobody to answer, and requests only matter for their answer.
    if (typeof ack !== 'function') return;
    const envelope = args.length >= 2 ? args[0] : undefined;
    void answer(session, budgetFor(envelope), envelope, logger).then(({ reply, method }) => {
      (ack as AckFn)(reply);
      session.replied(method);
    });
  });

  socket.onAny((event: string, ...args: unknown[]) => {
    if (event === 'request') return;
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      (ack as AckFn)(failure({ code: 'UNKNOWN_METHOD', message: 'Send requests as the "request" event' }));
    }
  });

  socket.on('disconnect', (reason) => {
    logger.debug({ reason, roomId: session.roomId }, 'socket disconnected');
    session.disconnected();
  });
}

async function answer(
  session: ClientSession,
  budget: TokenBucket,
  envelope: unknown,
  logger: Logger,
): Promise<{ reply: Ack<unknown>; method: string }> {
  if (!budget.take())
    return { reply: failure({ code: 'RATE_LIMITED', message: 'Too many requests; slow down' }), method: '?' };
  const started = performance.now();
  let method = '?';
  try {
    const request = parseRequest(envelope);
    method = request.method;
    const data = await session.handle(request.method, request.data as never);
    logger.debug({ method, ms: Math.round(performance.now() - started) }, 'request');
    return { reply: { ok: true, data }, method };
  } catch (err) {
    const error = toProtocolError(err);
    if (error.code === 'INTERNAL' && !(err instanceof ProtocolError))
      logger.error({ err, method }, 'request failed');
    else logger.debug({ method, code: error.code }, 'request refused');
    return { reply: failure(error.toBody()), method };
  }
}
