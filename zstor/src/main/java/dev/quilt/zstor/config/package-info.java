/**
 * zstor's configuration: start at {@link dev.quilt.zstor.config.ZstorConfig#load}. The TOML format
 * follows 0-stor_v2's key names; every value is validated on load, and refusals are
 * {@link dev.quilt.zstor.config.ConfigException}s naming the key.
 */
package dev.quilt.zstor.config;
