#!/usr/bin/env bash
# After the integ stack is deployed (kept with --no-clean, see README.md): publish a second chart version with
# the real AWS CLI and read both versions through CloudFront with the real helm.
# Usage: test/integ/helm-check.sh [STACK_NAME]   (needs aws, helm, and credentials for the stack's account)
set -euo pipefail
stack="${1:-HelmChartRepositoryInteg}"
output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
url="$(output RepositoryUrl)"
bucket="$(output BucketName)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A second version, packaged by helm itself, published with nothing but the AWS CLI.
mkdir -p "$work/integ-chart/templates"
printf 'apiVersion: v2\nname: integ-chart\nversion: 0.2.0\ndescription: integ test chart\n' >"$work/integ-chart/Chart.yaml"
helm package "$work/integ-chart" --destination "$work"
aws s3 cp "$work/integ-chart-0.2.0.tgz" "s3://$bucket/stable/"

export HELM_CONFIG_HOME="$work/helm-config" HELM_CACHE_HOME="$work/helm-cache" HELM_DATA_HOME="$work/helm-data"
helm repo add integ "$url"
for attempt in $(seq 1 30); do
  helm repo update integ >/dev/null
  if helm search repo integ/integ-chart --versions | grep -q '0\.2\.0'; then break; fi
  [[ $attempt -eq 30 ]] && { echo "helm-check: 0.2.0 not in $url/index.yaml after 150 s" >&2; exit 1; }
  sleep 5
done
helm search repo integ/integ-chart --versions
helm pull integ/integ-chart --version 0.1.0 --destination "$work"
helm pull integ/integ-chart --version 0.2.0 --destination "$work"
ls -l "$work"/*.tgz
echo "helm-check: published with the AWS CLI, indexed, and pulled through CloudFront with helm"
