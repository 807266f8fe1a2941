#!/usr/bin/env bash
# Exports what `keyward import github` reads for one organisation, as one bundle file.
#
#   ORG=acme-robotics ./export.sh > acme-robotics.json
#   keyward import github acme-robotics.json
#
# Needs `gh` (logged in as an org owner: `gh auth login -s admin:org,read:org,repo`) and `jq`.
# Endpoints an owner cannot read (SAML credential authorizations without SSO, PAT endpoints on a
# plan without fine-grained PAT policies) are written as empty lists and reported on stderr.
# Nothing secret is exported: Actions secrets come as names and dates only, and the importer keeps
# only the names of Actions variables.
set -euo pipefail
: "${ORG:?set ORG to the organisation login}"

# `gh api --paginate` prints one JSON document per page; --slurp (gh >= 2.48) gathers them into an
# array, which the importer reads as pages. jq then flattens what we need ourselves.
api() { gh api -H 'Accept: application/vnd.github+json' -H 'X-GitHub-Api-Version: 2022-11-28' "$@"; }
list() { # list <endpoint> <jq path of the items in one page>; prints one JSON array
  local out
  if out=$(api --paginate "$1" --jq "$2" 2>/dev/null); then
    printf '%s\n' "$out" | jq -s '.'
  else
    echo "export.sh: could not read $1 (written as an empty list)" >&2
    echo '[]'
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

api "/orgs/$ORG" > "$tmp/org.json"
list "/orgs/$ORG/repos?per_page=100" '.[] | {id, name, full_name, private, visibility, archived}' > "$tmp/repos.json"
list "/orgs/$ORG/installations?per_page=100" '.installations[]' > "$tmp/installations.json"

# Each app's public description, and the repositories of each installation with selected repos.
echo '{}' > "$tmp/apps.json"
echo '{}' > "$tmp/installation_repositories.json"
for slug in $(jq -r '.[].app_slug' "$tmp/installations.json"); do
  if app=$(api "/apps/$slug" 2>/dev/null); then
    jq --arg s "$slug" --argjson a "$app" '.[$s] = ($a | {id, slug, name, owner: {login: .owner.login, type: .owner.type}, permissions, events})' \
      "$tmp/apps.json" > "$tmp/x" && mv "$tmp/x" "$tmp/apps.json"
  fi
done
for id in $(jq -r '.[] | select(.repository_selection == "selected") | .id' "$tmp/installations.json"); do
  repos=$(list "/user/installations/$id/repositories?per_page=100" '.repositories[] | {id, full_name}')
  jq --arg i "$id" --argjson r "$repos" '.[$i] = $r' "$tmp/installation_repositories.json" > "$tmp/x" \
    && mv "$tmp/x" "$tmp/installation_repositories.json"
done

# Per repository: deploy keys, Actions secrets and variables (names), OIDC subject customization.
echo '{}' > "$tmp/deploy_keys.json"
echo '{}' > "$tmp/repo_secrets.json"
echo '{}' > "$tmp/repo_variables.json"
echo '{}' > "$tmp/repo_oidc.json"
for repo in $(jq -r '.[] | select(.archived | not) | .full_name' "$tmp/repos.json"); do
  keys=$(list "/repos/$repo/keys?per_page=100" '.[]')
  secrets=$(list "/repos/$repo/actions/secrets?per_page=100" '.secrets[] | {name, created_at, updated_at}')
  variables=$(list "/repos/$repo/actions/variables?per_page=100" '.variables[] | {name, created_at, updated_at}')
  oidc=$(api "/repos/$repo/actions/oidc/customization/sub" 2>/dev/null || echo 'null')
  jq --arg r "$repo" --argjson v "$keys" '.[$r] = $v' "$tmp/deploy_keys.json" > "$tmp/x" && mv "$tmp/x" "$tmp/deploy_keys.json"
  jq --arg r "$repo" --argjson v "$secrets" '.[$r] = {total_count: ($v | length), secrets: $v}' "$tmp/repo_secrets.json" > "$tmp/x" && mv "$tmp/x" "$tmp/repo_secrets.json"
  jq --arg r "$repo" --argjson v "$variables" '.[$r] = {total_count: ($v | length), variables: $v}' "$tmp/repo_variables.json" > "$tmp/x" && mv "$tmp/x" "$tmp/repo_variables.json"
  jq --arg r "$repo" --argjson v "$oidc" 'if $v == null then . else .[$r] = $v end' "$tmp/repo_oidc.json" > "$tmp/x" && mv "$tmp/x" "$tmp/repo_oidc.json"
done

list "/orgs/$ORG/actions/secrets?per_page=100" '.secrets[]' > "$tmp/org_secrets.json"
# Variable values are dropped here already: only names and dates leave GitHub.
list "/orgs/$ORG/actions/variables?per_page=100" '.variables[] | {name, created_at, updated_at, visibility}' > "$tmp/org_variables.json"
api "/orgs/$ORG/actions/oidc/customization/sub" > "$tmp/org_oidc.json" 2>/dev/null || echo '{"include_claim_keys": []}' > "$tmp/org_oidc.json"

list "/orgs/$ORG/personal-access-tokens?per_page=100" '.[]' > "$tmp/fine_grained_pats.json"
list "/orgs/$ORG/personal-access-token-requests?per_page=100" '.[]' > "$tmp/pat_requests.json"
echo '{}' > "$tmp/pat_repositories.json"
for id in $(jq -r '.[] | select(.repository_selection == "subset") | .id' "$tmp/fine_grained_pats.json"); do
  repos=$(list "/orgs/$ORG/personal-access-tokens/$id/repositories?per_page=100" '.[] | {id, full_name}')
  jq --arg i "$id" --argjson r "$repos" '.[$i] = $r' "$tmp/pat_repositories.json" > "$tmp/x" && mv "$tmp/x" "$tmp/pat_repositories.json"
done
list "/orgs/$ORG/credential-authorizations?per_page=100" '.[]' > "$tmp/credential_authorizations.json"

jq -n \
  --slurpfile org "$tmp/org.json" \
  --slurpfile repos "$tmp/repos.json" \
  --slurpfile installations "$tmp/installations.json" \
  --slurpfile installation_repositories "$tmp/installation_repositories.json" \
  --slurpfile apps "$tmp/apps.json" \
  --slurpfile deploy_keys "$tmp/deploy_keys.json" \
  --slurpfile org_secrets "$tmp/org_secrets.json" \
  --slurpfile repo_secrets "$tmp/repo_secrets.json" \
  --slurpfile org_variables "$tmp/org_variables.json" \
  --slurpfile repo_variables "$tmp/repo_variables.json" \
  --slurpfile org_oidc "$tmp/org_oidc.json" \
  --slurpfile repo_oidc "$tmp/repo_oidc.json" \
  --slurpfile fine_grained_pats "$tmp/fine_grained_pats.json" \
  --slurpfile pat_repositories "$tmp/pat_repositories.json" \
  --slurpfile pat_requests "$tmp/pat_requests.json" \
  --slurpfile credential_authorizations "$tmp/credential_authorizations.json" \
  '{
    keyward_bundle: "github/v1",
    exported_at: (now | todate),
    org: $org[0],
    repos: $repos[0],
    installations: {total_count: ($installations[0] | length), installations: $installations[0]},
    installation_repositories: $installation_repositories[0],
    apps: $apps[0],
    deploy_keys: $deploy_keys[0],
    actions_secrets: {org: {total_count: ($org_secrets[0] | length), secrets: $org_secrets[0]}, repos: $repo_secrets[0]},
    actions_variables: {org: {total_count: ($org_variables[0] | length), variables: $org_variables[0]}, repos: $repo_variables[0]},
    oidc_customization: {org: $org_oidc[0], repos: $repo_oidc[0]},
    fine_grained_pats: $fine_grained_pats[0],
    pat_repositories: $pat_repositories[0],
    pat_requests: $pat_requests[0],
    credential_authorizations: $credential_authorizations[0]
  }'
