// Short-lived access tokens: HS256 JWTs carrying `AccessClaims`. Stateless on purpose, so any
// signalling node that shares the secret accepts them; revocation is by expiry (TELEMED_ACCESS_TTL_S).
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { RoleSchema, type AccessClaims, type UserInfo } from '../protocol/index.js';

const ISSUER = 'telemed';
const AUDIENCE = 'telemed';

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  role: RoleSchema,
  inst: z.string().min(1),
  name: z.string(),
});

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'token expired' : 'invalid token');
    this.name = 'InvalidTokenError';
  }
}

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
    /** Seconds since the epoch; tests move it. */
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(user: UserInfo): Promise<string> {
    const claims: Omit<AccessClaims, 'sub'> = {
      role: user.role,
      inst: user.institution.id,
      name: user.displayName,
    };
    const iat = this.now();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token; `InvalidTokenError` otherwise. */
  async verify(token: unknown): Promise<AccessClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096)
      throw new InvalidTokenError('invalid');
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.now() * 1000),
      });
      const claims = ClaimsSchema.safeParse(payload);
      if (!claims.success) throw new InvalidTokenError('invalid');
      return claims.data;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('expired');
      throw new InvalidTokenError('invalid');
    }
  }
}
