/**
 * Test helpers that every module of reactive-ice shares, in the artifact {@code reactive-ice-testing}:
 * a coturn server started by a test ({@link io.reactiveice.testing.Coturn},
 * {@link io.reactiveice.testing.CoturnExtension}), Debian programs looked up with a message naming
 * their package ({@link io.reactiveice.testing.ExternalProgram}), network namespaces of a test's own
 * ({@link io.reactiveice.testing.NetworkNamespace}) and a lab of them with two NAT routers
 * ({@link io.reactiveice.testing.NatLab}, {@link io.reactiveice.testing.NatType}), a lab whose network changes under a
 * session (two links, an address deleted or moved, a router that changes a mapping:
 * {@link io.reactiveice.testing.TwoLinkLab}), Netty's leak detector made to fail the build
 * ({@link io.reactiveice.testing.FailingLeakDetector}, {@link io.reactiveice.testing.LeakCheckExtension},
 * registered for every test class through {@code META-INF/services} and {@code junit-platform.properties},
 * which this jar also carries with the tests' {@code logback-test.xml}), and the STUN test vectors of
 * RFC 5769 and RFC 8489 as bytes ({@link io.reactiveice.testing.RfcVectors}).
 *
 * <p>Nothing here may use a reactive-ice class: reactive-ice's own tests depend on this module, so
 * it cannot depend on reactive-ice (a helper that needs the library, such as
 * {@code DatagramTransfer}, stays in reactive-ice's test-jar). Modules use it at test scope; the
 * benchmarks at compile scope, for coturn and the vectors.
 */
package io.reactiveice.testing;
