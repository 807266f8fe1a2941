/**
 * Developer platforms: GitHub (checksummed classic tokens, fine-grained PATs), GitLab, Atlassian,
 * package registries (npm, PyPI, Docker Hub), secret managers (Vault, Doppler), infrastructure
 * tooling (Terraform Cloud, Pulumi, Grafana, Sentry, New Relic, Databricks, Postman, Linear …).
 */
import { type BuiltinRule, rule } from '../rule-kit.js';
import { hasValidCrc32Suffix } from './token-checksum.js';

const lastEight = (secret: string) => ({ identifiers: { lastEight: secret.slice(-8) } });

/** A prefix rule: `(?<![\w-])prefix body(?![\w-])`, the usual shape of a modern token. */
const prefixed = (
  id: string,
  provider: string,
  description: string,
  keywords: string[],
  body: string,
  extra: Partial<BuiltinRule> = {},
): BuiltinRule =>
  rule(id, provider, 'high', description, keywords, new RegExp(`(?<![\\w-])${body}(?![\\w-])`, 'g'), {
    anchored: true,
    ...extra,
  });

export const devRules: BuiltinRule[] = [
  prefixed(
    'github-token',
    'github',
    'GitHub token (personal, OAuth, user-to-server, server-to-server or refresh)',
    ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    'gh[pousr]_[A-Za-z0-9]{36}',
    { check: (secret) => (hasValidCrc32Suffix(secret.slice(4)) ? lastEight(secret) : false) },
  ),
  prefixed(
    'github-fine-grained-pat',
    'github',
    'GitHub fine-grained personal access token',
    ['github_pat_'],
    'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}',
    { check: lastEight },
  ),
  prefixed(
    'gitlab-token',
    'gitlab',
    'GitLab token (personal, deploy, runner, CI build, feed, OAuth …)',
    ['glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'glffct-'],
    '(?:glpat|gldt|glrt|glcbt|glft|glimt|glagent|gloas|glsoat|glffct)-[A-Za-z0-9_-]{20,64}(?:\\.[A-Za-z0-9_-]{2,16}){0,2}',
    { check: lastEight },
  ),
  prefixed(
    'gitlab-pipeline-trigger-token',
    'gitlab',
    'GitLab pipeline trigger token',
    ['glptt-'],
    'glptt-[A-Za-z0-9_-]{20,40}',
  ),
  prefixed(
    'gitlab-runner-registration-token',
    'gitlab',
    'GitLab runner registration token',
    ['gr1348941'],
    'GR1348941[A-Za-z0-9_-]{20}',
  ),
  prefixed(
    'atlassian-api-token',
    'atlassian',
    'Atlassian API token',
    ['atatt3', 'atctt3'],
    'AT[AC]TT3[A-Za-z0-9_=-]{150,300}',
  ),
  prefixed('npm-token', 'npm', 'npm access token', ['npm_'], 'npm_[A-Za-z0-9]{36}', { check: lastEight }),
  prefixed(
    'pypi-token',
    'pypi',
    'PyPI upload token',
    ['pypi-ageicHlwaS5vcmc'.toLowerCase(), 'pypi-agendgvzdc5wexbplm9yzw'],
    'pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}',
  ),
  prefixed(
    'docker-hub-token',
    'docker',
    'Docker Hub access token',
    ['dckr_pat_', 'dckr_oat_'],
    'dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,64}',
  ),
  prefixed(
    'vault-token',
    'hashicorp',
    'HashiCorp Vault token',
    ['hvs.', 'hvb.', 'hvr.'],
    'hv[sbr]\\.[A-Za-z0-9_-]{24,}',
  ),
  prefixed(
    'doppler-token',
    'doppler',
    'Doppler token',
    ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}',
  ),
  prefixed(
    'terraform-cloud-token',
    'hashicorp',
    'Terraform Cloud / Enterprise API token',
    ['atlasv1'],
    '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}',
    { anchored: false },
  ),
  prefixed('pulumi-token', 'pulumi', 'Pulumi access token', ['pul-'], 'pul-[a-f0-9]{40}'),
  prefixed(
    'grafana-token',
    'grafana',
    'Grafana Cloud or service-account token',
    ['glc_', 'glsa_'],
    '(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})',
  ),
  prefixed(
    'sentry-token',
    'sentry',
    'Sentry auth token',
    ['sntrys_', 'sntryu_'],
    '(?:sntrys_[A-Za-z0-9+/=_]{50,300}|sntryu_[a-f0-9]{64})',
  ),
  prefixed('new-relic-key', 'newrelic', 'New Relic user API key', ['nrak-'], 'NRAK-[A-Z0-9]{27}'),
  prefixed('databricks-token', 'databricks', 'Databricks token', ['dapi'], 'dapi[a-f0-9]{32}(?:-\\d)?'),
  prefixed('postman-key', 'postman', 'Postman API key', ['pmak-'], 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}'),
  prefixed('linear-key', 'linear', 'Linear API key', ['lin_api_'], 'lin_api_[A-Za-z0-9]{40}'),
  prefixed('supabase-token', 'supabase', 'Supabase access token', ['sbp_'], 'sbp_[a-f0-9]{40}'),
  prefixed('fly-token', 'fly', 'Fly.io token', ['fo1_'], 'fo1_[A-Za-z0-9_-]{43}'),
  prefixed(
    'age-secret-key',
    'age',
    'age encryption secret key',
    ['age-secret-key-1'],
    'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    { severity: 'critical' },
  ),
];
