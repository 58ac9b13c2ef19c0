#!/bin/bash
set -euo pipefail
mkdir -p backups
tar czf "backups/notes-$(date +%F).tgz" notes
ls -lh backups | tail -n 5
