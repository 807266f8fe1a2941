/**
 * The peer for token issuance: `oidc-provider` (npm) issuing ES256 JWT access tokens for the
 * client_credentials grant, with the client authenticating by private_key_jwt — the same client
 * authentication, token format and signature algorithm as Keyward's side of the benchmark.
 */
import { type AddressInfo, createServer } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface PeerServer {
  issuer: string;
  tokenUrl: string;
  resource: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startOidcProviderPeer(clientId: string, clientPublicJwk: JWK): Promise<PeerServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const resource = 'https://api.example.com';
  const signing = await generateKeyPair('ES256', { extractable: true });
  const signingJwk = { ...(await exportJWK(signing.privateKey)), alg: 'ES256', use: 'sig', kid: 'peer-1' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        id_token_signed_response_alg: 'ES256',
        jwks: { keys: [{ ...clientPublicJwk, alg: 'ES256', use: 'sig' }] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [signingJwk] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        getResourceServerInfo: () => ({
          scope: 'read',
          audience: resource,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    scopes: ['read'],
  });
  const server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    resource,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
