package io.reactiveice.internal.agent;

import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An in-process network for stepping agent cores deterministically: datagrams travel with a
 * latency plus jitter (which reorders them), may be lost, may be blocked between two addresses, and
 * may pass NATs that map and filter as real ones do ({@link NatBehaviour}); time jumps from event to
 * event. No threads, no sleeps, one seeded random source.
 */
final class SimNetwork {
    private record Delivery(long at, long seq, Transmit transmit) {
    }

    /** How a NAT maps and filters, in the terms of RFC 4787. */
    enum NatBehaviour {
        /**
         * Endpoint-independent mapping, address-and-port-dependent filtering: one outside address for
         * every destination, and only the addresses the inside sent to may send back (a port-restricted
         * cone; Linux MASQUERADE).
         */
        PORT_RESTRICTED,
        /**
         * Address-and-port-dependent mapping and filtering: a new outside port for each destination,
         * and only that destination may send back to it (symmetric; MASQUERADE --random-fully). The
         * outside address given is the mapping a STUN server saw, the server-reflexive candidate: no
         * peer may use it.
         */
        SYMMETRIC
    }

    /** A NAT in front of one inside address: its mappings, and the remote addresses each lets in. */
    private static final class Nat {
        final InetSocketAddress inside;
        InetSocketAddress outside;
        final NatBehaviour behaviour;
        final Map<InetSocketAddress, InetSocketAddress> mappingByDestination = new HashMap<>();
        final Map<InetSocketAddress, Set<InetSocketAddress>> allowedByMapping = new HashMap<>();

        Nat(InetSocketAddress inside, InetSocketAddress outside, NatBehaviour behaviour) {
            this.inside = inside;
            this.outside = outside;
            this.behaviour = behaviour;
        }

        /** The outside address a datagram to {@code destination} leaves from; it lets the destination in. */
        InetSocketAddress out(InetSocketAddress destination) {
            InetSocketAddress mapping = behaviour == NatBehaviour.PORT_RESTRICTED ? outside
                    : mappingByDestination.computeIfAbsent(destination, d -> new InetSocketAddress(outside.getAddress(),
                            outside.getPort() + 1 + mappingByDestination.size()));
            allowedByMapping.computeIfAbsent(mapping, m -> new HashSet<>()).add(destination);
            return mapping;
        }

        /** Whether {@code to} is one of this NAT's mappings. */
        boolean owns(InetSocketAddress to) {
            return to.equals(outside) || allowedByMapping.containsKey(to);
        }

        /** Whether a datagram from {@code from} to the mapping {@code to} is let in. */
        boolean admits(InetSocketAddress from, InetSocketAddress to) {
            Set<InetSocketAddress> allowed = allowedByMapping.get(to);
            return allowed != null && allowed.contains(from);
        }
    }

    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<InetSocketAddress, IceAgentCore> byBase = new HashMap<>();
    private final List<IceAgentCore> cores = new ArrayList<>();
    private final Random random;
    private long now;
    private long seq;
    private long latency = 1_000_000; // 1 ms
    private long jitter;
    private double loss;
    private Predicate<Transmit> blocked = t -> false;
    private Predicate<Transmit> unreachable = t -> false;
    private UnaryOperator<Transmit> rewrite = t -> t;
    private final Map<InetSocketAddress, InetSocketAddress> natInbound = new HashMap<>();
    private final List<Nat> nats = new ArrayList<>();
    private final ArrayDeque<Transmit> pending = new ArrayDeque<>();
    /** Datagrams a NAT refused to let in: unsolicited, from an address the inside never sent to. */
    long filtered;
    final List<Transmit> sent = new ArrayList<>();
    /** Datagrams that could not leave ({@link #unreachable}), each told to its sender. */
    final List<Transmit> unsent = new ArrayList<>();
    /** The instant each of {@link #sent} was put on the wire. */
    final List<Long> sentAt = new ArrayList<>();
    /** Every datagram handed to a core, as it arrived (after any NAT), in order. */
    final List<Transmit> received = new ArrayList<>();
    /** The instant each of {@link #received} arrived. */
    final List<Long> receivedAt = new ArrayList<>();
    long delivered;
    long dropped;
    /** What the shell does with application data, which the core does not consume: nothing by default. */
    private DataSink dataSink = (core, base, source) -> { };

    /** The shell's part for application data that reached a core ({@link IceAgentCore#handleInput} returned {@code false}). */
    interface DataSink {
        void received(IceAgentCore core, InetSocketAddress base, InetSocketAddress source);
    }

    SimNetwork(long seed) {
        this.random = new Random(seed);
    }

    SimNetwork latency(long nanos, long jitterNanos) {
        this.latency = nanos;
        this.jitter = jitterNanos;
        return this;
    }

    SimNetwork loss(double probability) {
        this.loss = probability;
        return this;
    }

    SimNetwork block(Predicate<Transmit> rule) {
        this.blocked = rule;
        return this;
    }

    /**
     * Datagrams that cannot leave their sender (no route to the destination from there): not sent, and
     * the sending core is told in the same instant ({@link IceAgentCore#unreachable}), as the shell
     * tells it of a send that failed with {@code ENETUNREACH}.
     */
    SimNetwork unreachable(Predicate<Transmit> rule) {
        this.unreachable = rule;
        return this;
    }

    /** Rewrites every datagram as it leaves (e.g. to fake a response from the wrong address). */
    SimNetwork rewrite(UnaryOperator<Transmit> rule) {
        this.rewrite = rule;
        return this;
    }

    /**
     * A NAT in front of {@code inside}: what it sends appears to come from {@code outside}, and what is
     * sent to {@code outside} reaches {@code inside} (an endpoint-independent mapping).
     */
    SimNetwork nat(InetSocketAddress inside, InetSocketAddress outside) {
        natInbound.put(outside, inside);
        UnaryOperator<Transmit> before = rewrite;
        rewrite = t -> {
            Transmit r = before.apply(t);
            return r.from().equals(inside) ? new Transmit(outside, r.to(), r.data()) : r;
        };
        return this;
    }

    /**
     * A NAT of the given behaviour in front of {@code inside}, whose mapping is {@code outside} (a
     * symmetric NAT's mapping towards the STUN server; it numbers the ones towards peers up from there). It translates as the datagram leaves
     * the inside, before loss and blocking, as a NAT beside the host would.
     */
    SimNetwork nat(InetSocketAddress inside, InetSocketAddress outside, NatBehaviour behaviour) {
        nats.add(new Nat(inside, outside, behaviour));
        return this;
    }

    /**
     * The NAT in front of {@code inside} forgets its mappings and maps from {@code outside} from now on
     * (a NAT rebinding: a home router's reboot, a carrier-grade NAT's timeout): what is sent to the old
     * mapping is lost, and only the addresses the inside sends to anew are let in.
     */
    SimNetwork rebind(InetSocketAddress inside, InetSocketAddress outside) {
        for (Nat nat : nats) {
            if (nat.inside.equals(inside)) {
                nat.outside = outside;
                nat.mappingByDestination.clear();
                nat.allowedByMapping.clear();
                return this;
            }
        }
        throw new IllegalArgumentException("no NAT in front of " + inside);
    }

    /** Hands application data that reached a core to {@code sink}, as a shell's data path would see it. */
    SimNetwork onData(DataSink sink) {
        this.dataSink = sink;
        return this;
    }

    /**
     * Puts a datagram of the test's on the wire now, from {@code from} (through its NAT, if any, as what a
     * core sends) to {@code to}: application data, or a replayed message from an address of an observer.
     */
    void send(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        pending.add(new Transmit(from, to, data));
        collect();
    }

    void attach(IceAgentCore core, InetSocketAddress... bases) {
        if (!cores.contains(core)) {
            cores.add(core);
        }
        for (InetSocketAddress b : bases) {
            byBase.put(b, core);
        }
    }

    long now() {
        return now;
    }

    /** Moves every pending transmit onto the wire; tells a core of each of its sends that failed. */
    private void collect() {
        List<Map.Entry<IceAgentCore, Transmit>> failed = new ArrayList<>();
        while (!pending.isEmpty()) {
            put(pending.poll());
        }
        do {
            for (Map.Entry<IceAgentCore, Transmit> f : failed) {
                f.getKey().unreachable(now, f.getValue().from(), f.getValue().to());
            }
            failed.clear();
            collectOnce(failed);
        } while (!failed.isEmpty());
    }

    private void collectOnce(List<Map.Entry<IceAgentCore, Transmit>> failed) {
        for (IceAgentCore core : cores) {
            Transmit t;
            while ((t = core.pollTransmit()) != null) {
                if (unreachable.test(t)) {
                    failed.add(Map.entry(core, t));
                    unsent.add(t);
                    continue;
                }
                put(t);
            }
        }
    }

    private void put(Transmit transmit) {
        Transmit t = rewrite.apply(transmit);
        for (Nat nat : nats) {
            if (t.from().equals(nat.inside)) {
                t = new Transmit(nat.out(t.to()), t.to(), t.data());
            }
        }
        sent.add(t);
        sentAt.add(now);
        if (blocked.test(t) || (loss > 0 && random.nextDouble() < loss)) {
            dropped++;
            return;
        }
        long delay = latency + (jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
        inFlight.add(new Delivery(now + delay, seq++, t));
    }

    /** Runs until {@code done} holds or {@code maxNanos} of simulated time passed; returns whether it held. */
    boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        collect();
        long steps = 0;
        while (!done.getAsBoolean()) {
            if (++steps > 10_000_000) {
                throw new AssertionError("the simulation stopped advancing at " + now + " ns");
            }
            long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().at;
            for (IceAgentCore core : cores) {
                next = Math.min(next, Math.max(core.nextTimeout(), now));
            }
            if (next == Long.MAX_VALUE || next > end) {
                now = end;
                return done.getAsBoolean();
            }
            now = next;
            while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
                Transmit t = inFlight.poll().transmit();
                Nat nat = natOwning(t.to());
                if (nat != null) {
                    if (!nat.admits(t.from(), t.to())) {
                        filtered++;
                        continue;
                    }
                    t = new Transmit(t.from(), nat.inside, t.data());
                }
                InetSocketAddress inside = natInbound.get(t.to());
                if (inside != null) {
                    t = new Transmit(t.from(), inside, t.data());
                }
                IceAgentCore target = byBase.get(t.to());
                if (target != null) {
                    delivered++;
                    received.add(t);
                    receivedAt.add(now);
                    if (!target.handleInput(now, new Datagram(t.to(), t.from(), ByteBuffer.wrap(t.data()), 0, t.data().length))) {
                        dataSink.received(target, t.to(), t.from());
                    }
                }
            }
            for (IceAgentCore core : cores) {
                if (core.nextTimeout() <= now) {
                    core.handleTimeout(now);
                }
            }
            collect();
        }
        return true;
    }

    private Nat natOwning(InetSocketAddress to) {
        for (Nat nat : nats) {
            if (nat.owns(to)) {
                return nat;
            }
        }
        return null;
    }

    /** Runs for a span of simulated time. */
    void runFor(long nanos) {
        runUntil(() -> false, nanos);
    }
}
