#!/bin/bash
set -euo pipefail
SINCE="${1:?usage: changelog.sh TAG}"
for kind in feat fix docs; do
  echo "## $kind"
  git log "$SINCE"..HEAD --pretty=format:'- %s (%h)' | grep "^- $kind" || true
  echo
done
