/**
 * The floor of private_key_jwt client_credentials issuance on this machine: a bare node:http server
 * doing only the work no token server can skip — read the form, decode the client assertion,
 * verify its ES256 signature, sign an ES256 access token — and nothing else: no replay check, no
 * client or task lookup, nothing recorded, no framework. Both signatures run on libuv's thread pool
 * (node:crypto's callback form), so the event loop only parses and answers and the second core
 * shares the crypto, the fastest arrangement measured here.
 *
 * It answers under the same load generator as both real servers, so its rate divided by
 * oidc-provider's is the largest ratio any server could report on this machine in this run.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface FloorServer {
  tokenUrl: string;
  close(): Promise<void>;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const verifyAsync = (key: KeyObject, data: Buffer, signature: Buffer) =>
  new Promise<boolean>((resolve) =>
    verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature, (err, ok) => resolve(!err && ok)),
  );

const signAsync = (key: KeyObject, data: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, (err, sig) =>
      err ? reject(err) : resolve(sig),
    ),
  );

/** A token response for a request whose assertion verifies with `client`; undefined (a 400) otherwise. */
async function issue(body: string, client: KeyObject, tokenKey: KeyObject): Promise<string | undefined> {
  const assertion = new URLSearchParams(body).get('client_assertion') ?? '';
  const [h, p, s] = assertion.split('.');
  if (!h || !p || !s) return undefined;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { sub?: string; exp?: number };
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
  if (!(await verifyAsync(client, Buffer.from(`${h}.${p}`), Buffer.from(s, 'base64url')))) return undefined;
  const input = `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'floor' })}.${b64({
    iss: 'floor',
    sub: claims.sub,
    aud: 'bench-api',
    client_id: claims.sub,
    scope: 'read',
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
  })}`;
  const signature = await signAsync(tokenKey, Buffer.from(input));
  return JSON.stringify({
    access_token: `${input}.${signature.toString('base64url')}`,
    token_type: 'Bearer',
    expires_in: 300,
  });
}

export async function startFloorServer(clientJwk: JWK): Promise<FloorServer> {
  const client = createPublicKey({ key: clientJwk as never, format: 'jwk' });
  const { privateKey: tokenKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      issue(Buffer.concat(chunks).toString(), client, tokenKey).then(
        (token) => {
          res.writeHead(token ? 200 : 400, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
          });
          res.end(token ?? '{"error":"invalid_client"}');
        },
        () => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end('{"error":"invalid_request"}');
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    tokenUrl: `http://127.0.0.1:${port}/token`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
