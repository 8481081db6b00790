/**
 * The benchmarks of reactive-ice, one flat package of JMH benchmarks and plain {@code main}s that
 * print their protocol and results; {@code benchmarks/README.md} gives the command of each and
 * {@code benchmarks/RESULTS.md} the figures. Performance is measured here and never asserted in
 * unit tests; this module's tests (e.g. {@code SoakIT}, {@code SharedPortScaleIT}) are short runs
 * of the mains that assert counts, never times.
 *
 * <ul>
 *   <li>STUN codec (JMH): {@link io.reactiveice.benchmarks.StunCodecBenchmark} beside ice4j
 *       ({@link io.reactiveice.benchmarks.Ice4jStun}) and a JDK-primitive floor
 *       ({@link io.reactiveice.benchmarks.StunFloor}), over the RFC 5769 vectors
 *       ({@link io.reactiveice.benchmarks.StunVectors}).</li>
 *   <li>The samples' peer program through NATs: connect time and pair types per cell of a
 *       {@code NatLab} ({@link io.reactiveice.benchmarks.NatLabBenchmark}, each peer a
 *       {@link io.reactiveice.benchmarks.LabPeer}).</li>
 *   <li>The samples' peer program under real network changes: recovery time after an address of
 *       the selected link is deleted, an only address is replaced, and a router changes a mapping,
 *       in a {@code TwoLinkLab} ({@link io.reactiveice.benchmarks.NetworkChangeBenchmark}).</li>
 *   <li>ICE agents on loopback: connect time ({@link io.reactiveice.benchmarks.ConnectTimeBenchmark}),
 *       heap per idle agent ({@link io.reactiveice.benchmarks.IdleHeapBenchmark},
 *       {@link io.reactiveice.benchmarks.HeapProbe}), {@code IceConnection} throughput beside plain
 *       Reactor Netty ({@link io.reactiveice.benchmarks.ThroughputBenchmark}, whose sender writes
 *       {@link io.reactiveice.benchmarks.EndlessDatagrams}), the same over ICE-TCP beside plain Reactor
 *       Netty TCP ({@link io.reactiveice.benchmarks.TcpThroughputBenchmark}), and the soak with churn
 *       ({@link io.reactiveice.benchmarks.SoakBenchmark}, {@link io.reactiveice.benchmarks.SoakPair},
 *       {@link io.reactiveice.benchmarks.LeakWatch}), on {@link io.reactiveice.benchmarks.LoopbackPeers}.</li>
 *   <li>A fresh JVM's first connection: {@link io.reactiveice.benchmarks.FreshJvmConnectBenchmark}
 *       starts the samples' peer program against aioice_peer.py, both as processes.</li>
 *   <li>Many lite sessions on one shared port:
 *       {@link io.reactiveice.benchmarks.SharedPortScaleBenchmark} (its printed figures:
 *       {@link io.reactiveice.benchmarks.SharedPortScaleSummary}) with its service side
 *       ({@link io.reactiveice.benchmarks.SharedPortScale}, counting Binding traffic with
 *       {@link io.reactiveice.benchmarks.StunCountingTransport}, the one counting transport here) and
 *       its driver JVM ({@link io.reactiveice.benchmarks.ScaleDriver},
 *       {@link io.reactiveice.benchmarks.ControlChannel}).</li>
 *   <li>TURN client beside coturn's {@code turnutils_uclient}:
 *       {@link io.reactiveice.benchmarks.TurnRelayBenchmark} ({@link io.reactiveice.benchmarks.TurnRelayLoad},
 *       {@link io.reactiveice.benchmarks.Uclient}, {@link io.reactiveice.benchmarks.EchoPeer},
 *       {@link io.reactiveice.benchmarks.DirectPing}, {@link io.reactiveice.benchmarks.TurnRun},
 *       {@link io.reactiveice.benchmarks.CpuSnapshot}, {@link io.reactiveice.benchmarks.TurnRelaySummary}),
 *       and one stream against datagrams one by one ({@link io.reactiveice.benchmarks.TurnStreamSend}).</li>
 *   <li>{@link io.reactiveice.benchmarks.BenchSupport}: what the mains share (quiet logging, load,
 *       percentiles, the kernel's UDP counters).</li>
 * </ul>
 *
 * <p>Everything here uses the library's API and {@code reactive-ice-testing} (coturn, the RFC
 * vectors), never reactive-ice's test classes. Traffic stays on 127.0.0.1.
 */
package io.reactiveice.benchmarks;
