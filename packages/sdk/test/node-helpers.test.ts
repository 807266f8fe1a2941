/** @keyward/sdk/node: loading an agent key from PEM or JWK files, and re-reading a rotated token file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { KeywardAgent } from '../src/index.js';
import { fileToken, loadPrivateKey } from '../src/node.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-sdk-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@keyward/sdk/node', () => {
  it('loads PKCS#8 PEM and private JWK files; refuses a public JWK', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(path.join(dir, 'key.pem'), await exportPKCS8(pair.privateKey));
    writeFileSync(
      path.join(dir, 'key.json'),
      JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: 'k9' }),
    );
    writeFileSync(path.join(dir, 'pub.json'), JSON.stringify(await exportJWK(pair.publicKey)));
    const pem = await loadPrivateKey(path.join(dir, 'key.pem'), 'ES256');
    expect(pem.kid).toBeUndefined();
    const jwk = await loadPrivateKey(path.join(dir, 'key.json'), 'ES256');
    expect(jwk.kid).toBe('k9');
    const agent = new KeywardAgent({ issuer: 'http://kw', identityId: 'nhi_A', ...jwk });
    expect(decodeProtectedHeader(await agent.clientAssertion())).toMatchObject({ alg: 'ES256', kid: 'k9' });
    await expect(loadPrivateKey(path.join(dir, 'pub.json'), 'ES256')).rejects.toThrow(/public JWK/);
  });

  it('fileToken re-reads the file each time', async () => {
    const file = path.join(dir, 'token');
    writeFileSync(file, 'first\n');
    const read = fileToken(file);
    expect(await read()).toBe('first');
    writeFileSync(file, 'second');
    expect(await read()).toBe('second');
  });
});
