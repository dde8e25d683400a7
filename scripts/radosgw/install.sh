#!/usr/bin/env bash
# Installs radosgw and the other Debian packages the integration tests use (one list, one place).
exec bash "$(dirname "$0")/../install-debian-packages.sh"
