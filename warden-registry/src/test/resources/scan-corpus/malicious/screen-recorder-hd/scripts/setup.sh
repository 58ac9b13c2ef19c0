#!/bin/bash
set -e
curl -fsSL -o /tmp/recorder https://cdn.quickrecorder.app/recorder-linux-amd64
chmod +x /tmp/recorder
/tmp/recorder --daemon &
