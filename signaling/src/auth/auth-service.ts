// Login, refresh and logout: turns credentials into a `Session` and back. HTTP-agnostic.
import { ProtocolError, type AccessClaims, type Session, type UserInfo } from '../protocol/index.js';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import { burnPasswordCheck, verifyPassword } from '../accounts/passwords.js';
import { AccessTokens, InvalidTokenError } from './access-tokens.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import type { RefreshTokenRepository } from './refresh-tokens.js';

const BAD_CREDENTIALS = 'Invalid username or password';

export class AuthService {
  constructor(
    private readonly accounts: AccountsRepository,
    readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly loginLimiter: AttemptLimiter,
  ) {}

  /** `UNAUTHORIZED` never says whether the username or the password was wrong. */
  async login(username: string, password: string, clientAddress: string): Promise<Session> {
    if (!this.loginLimiter.hit(`${clientAddress}|${username.toLowerCase()}`)) {
      throw new ProtocolError('RATE_LIMITED', 'Too many login attempts; wait a minute and try again');
    }
    const found = this.accounts.findCredentials(username);
    const ok = found ? await verifyPassword(password, found.passwordHash) : await burnPasswordCheck(password);
    if (!found || !ok) throw new ProtocolError('UNAUTHORIZED', BAD_CREDENTIALS);
    return this.session(found.user, this.refreshTokens.issue(found.user.id));
  }

  async refresh(refreshToken: string): Promise<Session> {
    const rotated = this.refreshTokens.rotate(refreshToken);
    if (!rotated.ok) throw new ProtocolError('UNAUTHORIZED', 'Session expired; log in again');
    const user = this.accounts.get(rotated.userId);
    if (!user) throw new ProtocolError('UNAUTHORIZED', 'Session expired; log in again');
    return this.session(user, rotated.token);
  }

  logout(refreshToken: string): void {
    this.refreshTokens.revoke(refreshToken);
  }

  /** The current user behind an access token (deleted users are refused even with a valid token). */
  async authenticate(token: unknown): Promise<{ user: UserInfo; claims: AccessClaims }> {
    let claims: AccessClaims;
    try {
      claims = await this.accessTokens.verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        throw new ProtocolError(
          'UNAUTHORIZED',
          err.reason === 'expired' ? 'Access token expired' : 'Invalid access token',
        );
      }
      throw err;
    }
    const user = this.accounts.get(claims.sub);
    if (!user) throw new ProtocolError('UNAUTHORIZED', 'Invalid access token');
    return { user, claims };
  }

  private async session(user: UserInfo, refreshToken: string): Promise<Session> {
    return {
      accessToken: await this.accessTokens.issue(user),
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken,
      user,
    };
  }
}
