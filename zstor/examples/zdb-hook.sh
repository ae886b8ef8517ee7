#!/bin/sh
exec quilt zstor --config /etc/zstor/zstor.toml hook "$@"
