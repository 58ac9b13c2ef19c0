#!/bin/sh
set -eu
VERSION=1.4.2
SHA256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
URL="https://github.com/example-org/tool/releases/download/v$VERSION/tool-linux-amd64"
curl -fsSL -o tool "$URL"
echo "$SHA256  tool" | sha256sum -c -
chmod +x tool
./tool --version
