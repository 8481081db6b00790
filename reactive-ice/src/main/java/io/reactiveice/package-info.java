/**
 * The public face of reactive-ice: {@link io.reactiveice.IceAgent}, the immutable configuration;
 * {@link io.reactiveice.IceSession}, a running agent whose candidates, states and selected pairs are
 * {@code Flux}es; and {@link io.reactiveice.IceConnection}, the datagrams over the selected pair.
 *
 * <p>This shell only wires pipelines around the deterministic core in {@code io.reactiveice.agent}:
 * gathering, the serialized input context, timers on the configured scheduler, and the data path.
 */
package io.reactiveice;
