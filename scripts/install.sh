#!/usr/bin/env bash
# Installs p2pool4j as a systemd service.
#   scripts/install.sh [--root DIR] [--jar PATH] [--no-enable]     install (DIR: a staging root, like DESTDIR)
#   scripts/install.sh [--root DIR] --uninstall [--purge]          remove; config and data stay unless --purge
# Layout: /opt/p2pool4j/p2pool4j.jar, /etc/p2pool4j/{p2pool4j.conf,p2pool4j.env} (never overwritten),
# /etc/systemd/system/p2pool4j.service, /var/lib/p2pool4j (created by systemd: StateDirectory).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root=""
jar=""
enable=1
uninstall=0
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2%/}"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --no-enable) enable=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
live=0
[ -z "$root" ] && live=1
if [ "$live" = 1 ] && [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (or use --root DIR to stage the files)" >&2; exit 1
fi
unit="$root/etc/systemd/system/p2pool4j.service"

if [ "$uninstall" = 1 ]; then
  if [ "$live" = 1 ] && command -v systemctl >/dev/null; then
    systemctl disable --now p2pool4j.service 2>/dev/null || true
  fi
  rm -f "$unit" "$root/opt/p2pool4j/p2pool4j.jar"
  rmdir "$root/opt/p2pool4j" 2>/dev/null || true
  if [ "$purge" = 1 ]; then
    rm -rf "$root/etc/p2pool4j" "$root/var/lib/p2pool4j" "$root/var/cache/p2pool4j"
    [ "$live" = 1 ] && userdel p2pool4j 2>/dev/null || true
    echo "p2pool4j removed, with its configuration and data."
  else
    echo "p2pool4j removed. Configuration (/etc/p2pool4j) and data (/var/lib/p2pool4j) were kept; --purge removes them."
  fi
  [ "$live" = 1 ] && command -v systemctl >/dev/null && systemctl daemon-reload || true
  exit 0
fi

if [ -z "$jar" ]; then
  jar="$here/target/p2pool4j.jar"
  if [ ! -f "$jar" ]; then
    echo "building the jar (mvn package)..."
    (cd "$here" && mvn -B -ntp -q -DskipTests package)
  fi
fi
[ -f "$jar" ] || { echo "install.sh: no jar at $jar" >&2; exit 1; }

install -d -m 0755 "$root/opt/p2pool4j" "$root/etc/systemd/system"
install -d -m 0750 "$root/etc/p2pool4j"
install -m 0644 "$jar" "$root/opt/p2pool4j/p2pool4j.jar"
install -m 0644 "$here/systemd/p2pool4j.service" "$unit"
for f in p2pool4j.conf p2pool4j.env; do
  if [ -e "$root/etc/p2pool4j/$f" ]; then
    echo "keeping the existing /etc/p2pool4j/$f (the new default is at /etc/p2pool4j/$f.dist)"
    install -m 0640 "$here/config/$f" "$root/etc/p2pool4j/$f.dist"
  else
    install -m 0640 "$here/config/$f" "$root/etc/p2pool4j/$f"
  fi
done

if [ "$live" = 1 ]; then
  if ! id p2pool4j >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /var/lib/p2pool4j --shell /usr/sbin/nologin p2pool4j
  fi
  chgrp p2pool4j /etc/p2pool4j /etc/p2pool4j/p2pool4j.conf /etc/p2pool4j/p2pool4j.env
  if command -v systemctl >/dev/null; then
    systemctl daemon-reload
    [ "$enable" = 1 ] && systemctl enable p2pool4j.service
  fi
fi

cat <<MSG
p2pool4j installed.
  jar:     /opt/p2pool4j/p2pool4j.jar
  config:  /etc/p2pool4j/p2pool4j.conf   (set address=, net= and how to reach bitcoind)
  JVM:     /etc/p2pool4j/p2pool4j.env
  data:    /var/lib/p2pool4j
Access to bitcoind, either:
  - cookie (Bitcoin Core's default): let the service read it, e.g. for a bitcoind running as user "bitcoin":
      usermod -aG bitcoin p2pool4j
      systemctl edit p2pool4j     # add: [Service] SupplementaryGroups=bitcoin
    and set bitcoind-datadir= (or bitcoind-cookie=) in p2pool4j.conf; the cookie's group must be able to read it
    (Bitcoin Core: -rpccookieperms=group);
  - or set bitcoind-rpc-user= and bitcoind-rpc-password= in p2pool4j.conf (mode 0640, group p2pool4j).
Then: systemctl start p2pool4j && journalctl -fu p2pool4j
MSG
