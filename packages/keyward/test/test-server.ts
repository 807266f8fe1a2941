/**
 * Placeholder: starts a real Keyward server on an empty SQLite store on a random port. The real
 * implementation is written elsewhere and replaces this file at merge.
 */
export interface TestServer {
  url: string;
  adminToken: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  throw new Error('test server not wired yet');
}
