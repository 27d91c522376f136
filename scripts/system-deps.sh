#!/usr/bin/env bash
# Install the Debian packages a target needs, only those that are missing.
#   scripts/system-deps.sh run    gettext (compilemessages), fonts-noto-cjk
#   scripts/system-deps.sh test   the above + postgresql, redis-server, chromium
# apt-get update runs only when something must be installed.
set -euo pipefail

profile="${1:-test}"
case "$profile" in
  run) wanted=(gettext fonts-noto-cjk) ;;
  test) wanted=(gettext fonts-noto-cjk postgresql redis-server chromium) ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "system-deps ($profile): all present"
  exit 0
fi

if ((EUID == 0)); then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "system-deps: missing ${missing[*]} and not root (no sudo): install them first" >&2
  exit 1
fi

echo "system-deps ($profile): installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
