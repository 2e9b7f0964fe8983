#!/usr/bin/env bash
# CI: the npm tools the end-to-end tests drive, pinned, installed outside the work tree.
# Claude Code is pinned to the version CLAUDE-CODE.md measured (an unpinned install here once
# resolved an old 2.1.197). Idempotent: nothing is fetched when the pinned version is there.
# The tests find it at $UVS_CI_PREFIX/node_modules/.bin/claude (or WATCHTOWER_CLAUDE_BIN) and
# skip, saying why, when it is absent.
set -euo pipefail

CLAUDE_CODE_VERSION=2.1.330
prefix="${UVS_CI_PREFIX:-$HOME/.cache/uvs-ci}"

# The version the binary itself reports: package.json alone would pass a half-finished install
# (the package's bin/claude.exe is a placeholder until its postinstall puts the native binary there).
installed=""
if [ -x "$prefix/node_modules/.bin/claude" ]; then
  installed="$("$prefix/node_modules/.bin/claude" --version 2>/dev/null | awk '{print $1; exit}' || true)"
fi

if [ "$installed" = "$CLAUDE_CODE_VERSION" ]; then
  echo "ci: @anthropic-ai/claude-code@$CLAUDE_CODE_VERSION already in $prefix"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "ci: npm not found; the Claude Code end-to-end tests will be skipped" >&2
  exit 0
fi

echo "ci: installing @anthropic-ai/claude-code@$CLAUDE_CODE_VERSION into $prefix${installed:+ (found $installed)}"
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-fund --no-audit --save-exact "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION"
"$prefix/node_modules/.bin/claude" --version
