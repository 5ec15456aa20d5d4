#!/bin/sh
# Runs Debian's /usr/sbin/nginx as a "container": writes a config for this pod's PORT into a
# private prefix, then execs nginx so the master process is the container's main process and
# receives the stop signal itself (docs/reference/pod-termination.md#pid-1-only, docs/reference/signals.md#image-stop-signals).
# /slow.bin is served at 100 KB/s (limit_rate), so each request of it stays in flight ~3 s.
set -eu
# exec leaves no shell to clean up after nginx: remove prefixes of earlier pods whose nginx is gone.
# The pid file cannot tell (nginx removes it when it stops, and inside a PID namespace every master
# is pid 1); the master's command line can, it names its prefix (the bracket keeps grep from
# matching its own command line). A prefix younger than a minute may be a pod still starting.
for old in "${TMPDIR:-/tmp}"/zerodrop-nginx-pod.*; do
  [ -d "$old" ] && [ -n "$(find "$old" -maxdepth 0 -mmin +1)" ] || continue
  grep -qs "zerodrop-nginx-pod[.]${old##*.}/nginx.conf" /proc/[0-9]*/cmdline || rm -rf "$old"
done
PREFIX=$(mktemp -d "${TMPDIR:-/tmp}/zerodrop-nginx-pod.XXXXXX")
mkdir -p "$PREFIX/html" "$PREFIX/logs"
# Workers run as an unprivileged user when nginx starts as root: they must read the files.
chmod 755 "$PREFIX" "$PREFIX/html"
head -c 300000 /dev/zero > "$PREFIX/html/slow.bin"
echo ok > "$PREFIX/html/index.html"
cat > "$PREFIX/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $PREFIX/nginx.pid;
error_log $PREFIX/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $PREFIX/tmp_body;
  proxy_temp_path $PREFIX/tmp_proxy;
  fastcgi_temp_path $PREFIX/tmp_fastcgi;
  uwsgi_temp_path $PREFIX/tmp_uwsgi;
  scgi_temp_path $PREFIX/tmp_scgi;
  server {
    listen 127.0.0.1:$PORT;
    root $PREFIX/html;
    add_header x-zerodrop-pod $POD_NAME always;
    location = /slow.bin { limit_rate 100k; }
  }
}
CONF
exec /usr/sbin/nginx -p "$PREFIX" -c "$PREFIX/nginx.conf"
