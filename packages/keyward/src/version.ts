/** The running Keyward version, reported by /healthz, the OpenAPI document and `keyward --version`. */
export const KEYWARD_VERSION = '0.1.0';
