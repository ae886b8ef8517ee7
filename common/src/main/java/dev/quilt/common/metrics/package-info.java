/**
 * Counters, gauges and a Prometheus text endpoint. Start with {@link dev.quilt.common.metrics.MetricsRegistry};
 * expose it with {@link dev.quilt.common.metrics.MetricsHttpServer}.
 */
package dev.quilt.common.metrics;
