/**
 * Metrics for Micrometer, an optional dependency: {@link io.reactiveice.metrics.MicrometerIceMetrics}
 * implements the library's own recorder, {@link io.reactiveice.IceMetrics}, over a {@code MeterRegistry}.
 * Only this package names Micrometer types; nothing else in the library loads it, so an application
 * without Micrometer on its class path never sees it. Every meter is named {@code reactive.ice.*} and
 * carries low-cardinality tags only (a state, a reason, a kind, a transport, an error code), never an
 * address, a ufrag or an id.
 */
package io.reactiveice.metrics;
