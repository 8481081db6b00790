/**
 * The public face of reactive-ice (API): {@link io.reactiveice.IceAgent}, the immutable configuration;
 * {@link io.reactiveice.IceSession}, a running agent whose candidates, states and selected pairs are
 * {@code Flux}es; {@link io.reactiveice.IceConnection}, the datagrams over the selected pair;
 * {@link io.reactiveice.SharedUdpPort}, one UDP port for many sessions; {@link io.reactiveice.IceServer},
 * {@link io.reactiveice.TransportPolicy}, the exceptions, and the {@link io.reactiveice.RelayAllocator}
 * service interface that the TURN module implements.
 *
 * <p>This shell only wires pipelines around the deterministic core in {@code io.reactiveice.internal.agent}:
 * gathering ({@code Gathering}, {@code BindingRequests}), the serialized input context (the core runs on
 * the one {@code internal.runner.MachineRunner}), the sockets of a session ({@code SessionSockets}, and
 * {@code UfragRouting} for those of a shared port), state snapshots and event fan-out
 * ({@code SessionEvents}), candidate generations ({@code LocalCandidates}), mDNS
 * ({@code MdnsCandidates}), and the data path ({@code IceConnection} with {@code Inbox} and
 * {@code RemoteAdmission}). {@code IceSession} is a facade over these, and {@code SessionWiring} its
 * side of them: what the runner outputs, what gathering produces, what the data path reads. Its helpers are package-private;
 * no public signature here names a type of {@code io.reactiveice.internal}.
 */
package io.reactiveice;
