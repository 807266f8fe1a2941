/**
 * Turns a pasted ID token into an approver: decodes its claims (unverified; the server verifies on
 * each decision), refuses one already expired, and finds the human it names in the inventory by
 * email (`GET /v1/humans?q=`), or by a `hum_` subject for issuers whose rule names the human directly.
 */
import type { Human, Page } from '@keyward/sdk';
import { ApiError, apiCall, withQuery } from '../api/api-client.js';
import type { ApproverInfo } from './approver-store.js';
import { decodeJwtPayload, emailOf } from './jwt-payload.js';

export async function approverFromToken(raw: string, now = Date.now()): Promise<ApproverInfo> {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const decoded = decodeJwtPayload(token);
  if ('error' in decoded) throw new Error(`This is not an ID token: ${decoded.error}.`);
  const { claims } = decoded;
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= now) {
    throw new Error(
      `This token expired at ${new Date(expiresAt).toISOString().slice(0, 19).replace('T', ' ')} UTC; sign in at your identity provider again and paste the new one.`,
    );
  }
  const human = await findHuman(claims.sub, emailOf(claims));
  return {
    token,
    humanId: human.id,
    name: human.name,
    email: human.email,
    expiresAt,
    issuer: typeof claims.iss === 'string' ? claims.iss : null,
  };
}

async function findHuman(sub: string | undefined, email: string | undefined): Promise<Human> {
  if (email) {
    const page = await apiCall<Page<Human>>(withQuery('/v1/humans', { q: email, limit: 50 }));
    const match = page.items.find((h) => h.email.toLowerCase() === email.toLowerCase());
    if (match) return match;
    throw new Error(`No human with the email ${email} is in Keyward's inventory.`);
  }
  if (sub?.startsWith('hum_')) {
    try {
      return await apiCall<Human>(`/v1/humans/${encodeURIComponent(sub)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        throw new Error(`The token's subject ${sub} is not a known human.`);
      }
      throw err;
    }
  }
  throw new Error(
    'The token carries no email claim (email, upn or preferred_username), so the console cannot tell which human it names.',
  );
}
