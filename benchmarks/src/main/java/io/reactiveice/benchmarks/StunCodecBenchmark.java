package io.reactiveice.benchmarks;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our STUN codec beside ice4j, and beside the floor of what the JDK primitives allow, over two
 * messages: the RFC 5769 section 2.1 sample request (108 bytes) and a Binding success response
 * (XOR-MAPPED-ADDRESS 192.0.2.1:32853, MESSAGE-INTEGRITY, FINGERPRINT; 64 bytes) built with our
 * writer. Every pair (ours, ice4j) runs in the same JVM, run and protocol.
 *
 * <ul>
 *   <li><b>decode</b>: frame validation and a visit of every attribute's type and length. ice4j's
 *       {@code Message.decode} also checks FINGERPRINT; ours leaves that to {@code check}.
 *   <li><b>check</b>: FINGERPRINT and MESSAGE-INTEGRITY with the short-term key.
 *   <li><b>encode</b>: the signed response, into a reused heap buffer and (as the Netty transport
 *       does) a reused direct buffer; ice4j allocates its own array.
 *   <li><b>floors</b>: {@link StunFloor} over the request.
 * </ul>
 *
 * <p>The protocol is in the annotations: a fixed, pre-touched 1 GiB heap (so that GC sizing and page
 * faults do not move the numbers between forks), two forks; run with {@code -prof gc} for
 * {@code gc.alloc.rate.norm} (see README.md). {@link #setUp} verifies every result first and throws
 * if any is wrong, so a broken benchmark cannot report a number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class StunCodecBenchmark {
    /** Where the request lies inside a bigger buffer in {@link #checkRequestOursAtOffset37}. */
    static final int OFFSET = 37;

    private byte[] request;
    private ByteBuffer requestBuffer;
    private byte[] response;
    private ByteBuffer responseBuffer;
    private ByteBuffer requestAtOffset;

    private StunMessageReader reader;
    private StunMessageWriter writer;
    private IntegrityKey key;
    private TransactionId transactionId;
    private byte[] transactionIdBytes;
    private InetSocketAddress mapped;
    private ByteBuffer heapOut;
    private ByteBuffer directOut;

    private Ice4jStun ice4j;
    private StunFloor floor;

    /** Builds both messages, both codecs and the floor, then verifies every result. */
    @Setup
    public void setUp() {
        request = StunVectors.request();
        requestBuffer = ByteBuffer.wrap(request);
        key = IntegrityKey.shortTerm(StunVectors.PASSWORD);
        response = StunVectors.bindingResponse(key);
        responseBuffer = ByteBuffer.wrap(response);
        byte[] big = new byte[OFFSET + request.length + 19];
        Arrays.fill(big, (byte) 0xFF);
        System.arraycopy(request, 0, big, OFFSET, request.length);
        requestAtOffset = ByteBuffer.wrap(big);

        reader = new StunMessageReader();
        writer = new StunMessageWriter();
        transactionId = StunVectors.transactionId();
        transactionIdBytes = StunVectors.transactionIdBytes();
        mapped = StunVectors.mappedAddress();
        heapOut = ByteBuffer.allocate(1500);
        directOut = ByteBuffer.allocateDirect(1500);

        ice4j = new Ice4jStun(StunVectors.USERNAME, StunVectors.PASSWORD, mapped);
        floor = new StunFloor(StunVectors.PASSWORD.getBytes(StandardCharsets.UTF_8));

        new SetupChecks(this).run();
    }

    /** Shuts down ice4j's stack. */
    @TearDown
    public void tearDown() {
        ice4j.close();
    }

    // ---- decode -------------------------------------------------------------------------------

    /** Our reader over the request, every attribute visited. */
    @Benchmark
    public int decodeRequestOurs() {
        return decodeOurs(requestBuffer, 0, request.length);
    }

    /** ice4j's decode of the request, every attribute visited. */
    @Benchmark
    public int decodeRequestIce4j() {
        return ice4j.decode(request, 0, request.length);
    }

    /** Our reader over the response, every attribute visited. */
    @Benchmark
    public int decodeResponseOurs() {
        return decodeOurs(responseBuffer, 0, response.length);
    }

    /** ice4j's decode of the response, every attribute visited. */
    @Benchmark
    public int decodeResponseIce4j() {
        return ice4j.decode(response, 0, response.length);
    }

    /** Same fold over type and length as {@link Ice4jStun#decode}, so the two results can be compared. */
    int decodeOurs(ByteBuffer buffer, int offset, int length) {
        StunMessageReader r = reader;
        if (!r.tryRead(buffer, offset, length)) {
            throw new IllegalStateException("rejected: " + r.rejection());
        }
        int h = r.messageType();
        int n = r.attributeCount();
        for (int i = 0; i < n; i++) {
            h = 31 * h + r.attributeType(i);
            h = 31 * h + r.valueLength(i);
        }
        return h;
    }

    // ---- check --------------------------------------------------------------------------------

    /** FINGERPRINT and MESSAGE-INTEGRITY of the request, ours. */
    @Benchmark
    public boolean checkRequestOurs() {
        return checkOurs(requestBuffer, 0, request.length);
    }

    /** FINGERPRINT, USERNAME and MESSAGE-INTEGRITY of the request, ice4j. */
    @Benchmark
    public boolean checkRequestIce4j() {
        return ice4j.check(request, 0, request.length);
    }

    /** FINGERPRINT and MESSAGE-INTEGRITY of the response, ours. */
    @Benchmark
    public boolean checkResponseOurs() {
        return checkOurs(responseBuffer, 0, response.length);
    }

    /** FINGERPRINT and MESSAGE-INTEGRITY of the response with ice4j primitives. */
    @Benchmark
    public boolean checkResponseIce4j() {
        return ice4j.checkResponse(response, 0, response.length, StunVectors.USERNAME);
    }

    /** The request at offset 37 of a bigger buffer (ice4j cannot decode there; see {@link Ice4jStun}). */
    @Benchmark
    public boolean checkRequestOursAtOffset37() {
        return checkOurs(requestAtOffset, OFFSET, request.length);
    }

    boolean checkOurs(ByteBuffer buffer, int offset, int length) {
        StunMessageReader r = reader;
        return r.tryRead(buffer, offset, length) && r.fingerprintMatches() && r.integrityMatches(key);
    }

    // ---- encode -------------------------------------------------------------------------------

    /** The signed response into a reused heap buffer. */
    @Benchmark
    public int encodeResponseOurs() {
        return StunVectors.writeBindingResponse(writer, heapOut, transactionId, mapped, key);
    }

    /** The signed response into a reused direct buffer, as the Netty transport does. */
    @Benchmark
    public int encodeResponseOursDirect() {
        return StunVectors.writeBindingResponse(writer, directOut, transactionId, mapped, key);
    }

    /** The signed response with ice4j (a new array each time). */
    @Benchmark
    public byte[] encodeResponseIce4j() {
        return ice4j.encodeBindingResponse(transactionIdBytes);
    }

    // ---- floors (request only) ------------------------------------------------------------------

    /** Floor: header rules and attribute walk over the request. */
    @Benchmark
    public int walkFloor() {
        return StunFloor.walk(requestBuffer, 0, request.length);
    }

    /** Floor: the walk plus JDK CRC32 and HmacSHA1 over the request. */
    @Benchmark
    public boolean walkCrcHmacFloor() {
        return floor.check(requestBuffer, 0, request.length);
    }

    /**
     * What {@link #setUp} verifies before anything is measured: every benchmark's result, both
     * codecs against each other, and that a tampered message fails every check.
     */
    private static final class SetupChecks {
        private final StunCodecBenchmark b;

        SetupChecks(StunCodecBenchmark b) {
            this.b = b;
        }

        void run() {
            require(b.request.length == 108, "request is 108 bytes");
            require(b.response.length == 64, "response is 64 bytes but was " + b.response.length);
            decodes();
            checks();
            encodes();
            floors();
            tamperedFails();
        }

        private void decodes() {
            require(b.decodeRequestOurs() == b.decodeRequestIce4j(), "decode of the request agrees with ice4j");
            require(b.decodeResponseOurs() == b.decodeResponseIce4j(), "decode of the response agrees with ice4j");
            require(b.reader.attributeCount() == 3, "response has 3 attributes");
        }

        private void checks() {
            require(b.checkRequestOurs(), "our check of the request");
            require(b.checkResponseOurs(), "our check of the response");
            require(b.checkRequestOursAtOffset37(), "our check of the request at offset " + OFFSET);
            require(b.reader.offset() == OFFSET && b.reader.length() == 108, "reader at offset " + OFFSET);
            require(b.checkRequestIce4j(), "ice4j check of the request");
            require(b.checkResponseIce4j(), "ice4j check of the response");
        }

        private void encodes() {
            int n = b.encodeResponseOurs();
            require(Arrays.equals(b.heapOut.array(), 0, n, b.response, 0, b.response.length),
                    "heap encode writes the response");
            n = b.encodeResponseOursDirect();
            byte[] direct = new byte[n];
            b.directOut.get(0, direct);
            require(Arrays.equals(direct, b.response), "direct encode writes the response");
            byte[] theirs = b.encodeResponseIce4j();
            require(Arrays.equals(theirs, b.response), "ice4j encodes the same bytes as we do: "
                    + HexFormat.of().formatHex(theirs) + " vs " + HexFormat.of().formatHex(b.response));
        }

        private void floors() {
            int sum = 0x8022 + 16 + 0x0024 + 4 + 0x8029 + 8 + 0x0006 + 9 + 0x0008 + 20 + 0x8028 + 4;
            require(b.walkFloor() == sum, "walk floor visits every attribute");
            require(b.walkCrcHmacFloor(), "walk+CRC+HMAC floor accepts the request");
        }

        private void tamperedFails() {
            // A bit flipped in the USERNAME value (request) and in the mapped address (response):
            // FINGERPRINT and MESSAGE-INTEGRITY must both fail, in every implementation.
            byte[] badRequest = b.request.clone();
            badRequest[68] ^= 1;
            byte[] badResponse = b.response.clone();
            badResponse[31] ^= 1;
            ByteBuffer badRequestBuffer = ByteBuffer.wrap(badRequest);
            require(!b.checkOurs(badRequestBuffer, 0, 108), "our check rejects a tampered request");
            require(!b.checkOurs(ByteBuffer.wrap(badResponse), 0, 64), "our check rejects a tampered response");
            require(!b.ice4j.check(badRequest, 0, 108), "ice4j check rejects a tampered request");
            require(!b.ice4j.checkResponse(badResponse, 0, 64, StunVectors.USERNAME),
                    "ice4j check rejects a tampered response");
            require(!b.floor.check(badRequestBuffer, 0, 108), "floor rejects a tampered request");
            require(b.reader.tryRead(badRequestBuffer, 0, 108) && !b.reader.fingerprintMatches()
                    && !b.reader.integrityMatches(b.key), "both FINGERPRINT and MESSAGE-INTEGRITY fail on their own");
        }

        private static void require(boolean condition, String what) {
            if (!condition) {
                throw new IllegalStateException("benchmark setup check failed: " + what);
            }
        }
    }
}
