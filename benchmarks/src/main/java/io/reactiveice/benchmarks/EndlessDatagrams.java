package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;

/**
 * What {@link ThroughputBenchmark}'s sender writes: duplicates of one application-data datagram, as
 * many as the link takes, counted as they are generated, until {@link #stop()}. It notes the thread
 * that generates them and holds the datagram's buffer until {@link #release()}.
 */
final class EndlessDatagrams {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final LongAdder sent = new LongAdder();
    private final AtomicReference<String> senderThread = new AtomicReference<>();
    private final ByteBuf template;

    /** A direct buffer of {@code size} bytes: a first byte of 0x80, then zeros. */
    EndlessDatagrams(int size) {
        template = ByteBufAllocator.DEFAULT.directBuffer(size);
        template.writeByte(0x80); // RFC 7983: 128..191 is RTP/RTCP, i.e. application data, never STUN
        template.writeZero(size - 1);
    }

    /** The stream, one retained duplicate of the datagram per request, complete once stopped. */
    Flux<ByteBuf> flux() {
        return Flux.generate(sink -> {
            if (stop.get()) {
                sink.complete();
            } else {
                sent.increment();
                if ((sent.sum() & 0xFFFF) == 0) { // long after the first request, which may come from this thread
                    senderThread.set(Thread.currentThread().getName());
                }
                sink.next(template.retainedDuplicate());
            }
        });
    }

    /** Datagrams generated so far. */
    long sent() {
        return sent.sum();
    }

    /** The thread that generated the datagrams, once 65,536 have been. */
    String senderThread() {
        return senderThread.get();
    }

    /** Ends the stream at its next request. */
    void stop() {
        stop.set(true);
    }

    /** Releases the datagram's buffer. */
    void release() {
        template.release();
    }
}
