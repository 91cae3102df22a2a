#!/bin/sh
set -eu
PREFIX="${PREFIX:-$HOME/.local}"
VERSION=$(curl -fsSL https://api.example.com/latest | tr -d '\r')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL "https://api.example.com/v${VERSION}/t.tgz" -o "$tmp/t.tgz"
tar -xzf "$tmp/t.tgz" -C "$tmp"
install -m 0755 "$tmp/tool" "$PREFIX/bin/tool"
cat >> "$HOME/.profile" <<EOF
export PATH="$PREFIX/bin:\$PATH"
EOF
