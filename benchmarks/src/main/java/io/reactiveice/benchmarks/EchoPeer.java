package io.reactiveice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The peer behind the relay: a UDP echo on 127.0.0.1, on a platform thread of its own, that sends
 * every datagram straight back to where it came from. While a {@link Recording} is open it also notes
 * when each datagram arrived and from which address, so that the rate through the relay is measured
 * at the same place, the same way, for coturn's client and for ours.
 *
 * <p>The thread blocks in {@code receive}, so it costs nothing between runs; its CPU time is
 * reported ({@link #cpuNanos()}) so that it can be told apart from the client's in this JVM.
 */
final class EchoPeer implements AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final Thread thread;
    private volatile Recording recording;

    private EchoPeer(DatagramChannel channel) throws IOException {
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.thread = new Thread(this::echo, "echo-peer");
        thread.setDaemon(true);
    }

    /** Binds 127.0.0.1 on a free port and starts echoing. */
    static EchoPeer start() {
        try {
            DatagramChannel channel = DatagramChannel.open();
            // the kernel caps this at net.core.rmem_max; the windows keep the queue far below either
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EchoPeer peer = new EchoPeer(channel);
            peer.thread.start();
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients send. */
    InetSocketAddress address() {
        return address;
    }

    /** CPU time the echo thread has used so far. */
    long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
    }

    /**
     * Starts noting arrivals (replacing any open recording).
     *
     * @param capacity how many arrivals to keep at most; later ones are echoed but not noted
     * @return the recording, to be read after {@link #stopRecording()}
     */
    Recording record(int capacity) {
        Recording r = new Recording(capacity);
        recording = r;
        return r;
    }

    /** Stops noting arrivals; datagrams are still echoed. */
    void stopRecording() {
        recording = null;
    }

    private void echo() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                long now = System.nanoTime();
                buffer.flip();
                channel.send(buffer, from);
                Recording r = recording;
                if (r != null) {
                    r.note(now, from);
                }
            }
        } catch (ClosedChannelException closed) {
            // close() ended the loop
        } catch (IOException e) {
            throw new UncheckedIOException("the echo peer failed", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The arrivals of one run: when and from which source. Written by the echo thread only; the
     * volatile count publishes each arrival, so a reader sees every arrival below the count it read.
     */
    static final class Recording {
        private final long[] at;
        private final int[] source;
        private final Map<SocketAddress, Integer> sources = new HashMap<>(); // the echo thread's only
        private volatile int count;
        private volatile int sourceCount;

        private Recording(int capacity) {
            this.at = new long[capacity];
            this.source = new int[capacity];
        }

        private void note(long now, SocketAddress from) {
            int n = count;
            if (n == at.length) {
                return;
            }
            Integer s = sources.get(from);
            if (s == null) {
                s = sources.size();
                sources.put(from, s);
                sourceCount = s + 1;
            }
            at[n] = now;
            source[n] = s;
            count = n + 1;
        }

        /** Datagrams noted so far. */
        int count() {
            return count;
        }

        /**
         * The rate while every source was sending: from the latest first arrival of any source to the
         * earliest last arrival of any source (coturn's client starts each of its clients at a random
         * moment up to 5 s apart, so the whole span would understate what they reach together). With
         * a single source it is the whole span. If the sources never overlapped, the whole span.
         */
        Flow flow() {
            int n = count;
            int k = sourceCount;
            if (n < 2 || k == 0) {
                return new Flow(n, k, Double.NaN, 0);
            }
            long[] first = new long[k];
            long[] last = new long[k];
            Arrays.fill(first, Long.MAX_VALUE);
            Arrays.fill(last, Long.MIN_VALUE);
            for (int i = 0; i < n; i++) {
                first[source[i]] = Math.min(first[source[i]], at[i]);
                last[source[i]] = Math.max(last[source[i]], at[i]);
            }
            long from = Arrays.stream(first).max().getAsLong();
            long to = Arrays.stream(last).min().getAsLong();
            if (to <= from) {
                from = Arrays.stream(first).min().getAsLong();
                to = Arrays.stream(last).max().getAsLong();
            }
            int inside = 0;
            for (int i = 0; i < n; i++) {
                if (at[i] >= from && at[i] <= to) {
                    inside++;
                }
            }
            double seconds = (to - from) / 1e9;
            return new Flow(n, k, seconds > 0 ? (inside - 1) / seconds : Double.NaN, seconds);
        }
    }

    /**
     * What reached the peer in one run.
     *
     * @param datagrams how many arrived
     * @param sources from how many addresses (relayed addresses, i.e. allocations)
     * @param perSecond the rate while all sources were sending
     * @param seconds how long that was
     */
    record Flow(long datagrams, int sources, double perSecond, double seconds) {
    }
}
