package io.reactiveice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time, at one moment, of everything a relay run involves: this JVM (without the echo
 * peer's thread), the processes it has started and waited for ({@code turnutils_uclient}), coturn,
 * the echo peer, and the whole machine, so that a run can say what each side cost and whether some
 * other process took a core meanwhile.
 *
 * @param jvmNanos this JVM's CPU time
 * @param peerNanos the echo peer thread's CPU time
 * @param childrenTicks the CPU time of this JVM's finished children, in clock ticks
 * @param coturnTicks coturn's CPU time, in clock ticks
 * @param machine the machine's CPU counters
 */
record CpuSnapshot(long jvmNanos, long peerNanos, long childrenTicks, long coturnTicks, BenchSupport.CpuTimes machine) {

    /** Reads every counter now; {@code coturnPid} as in {@code /proc}. */
    static CpuSnapshot take(EchoPeer peer, String coturnPid) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuSnapshot(os.getProcessCpuTime(), peer.cpuNanos(), BenchSupport.ProcessTicks.read("self").children(),
                BenchSupport.ProcessTicks.read(coturnPid).own(), BenchSupport.CpuTimes.read());
    }

    /** coturn's pid, from the pid file its configuration names. */
    static String coturnPid(Path coturnDirectory) {
        try {
            return Files.readString(coturnDirectory.resolve("turnserver.pid")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU this JVM used since {@code before}, without the echo peer's thread. */
    long jvmSince(CpuSnapshot before) {
        return (jvmNanos - before.jvmNanos) - (peerNanos - before.peerNanos);
    }

    /** CPU the finished children used since {@code before}. */
    long childrenSince(CpuSnapshot before) {
        return (childrenTicks - before.childrenTicks) * BenchSupport.ProcessTicks.TICK_NANOS;
    }

    /** CPU coturn used since {@code before}. */
    long coturnSince(CpuSnapshot before) {
        return (coturnTicks - before.coturnTicks) * BenchSupport.ProcessTicks.TICK_NANOS;
    }

    /**
     * The cores that processes other than this JVM, its children and coturn took since
     * {@code before}: a run during which this is well above zero shared the machine.
     */
    double othersSince(CpuSnapshot before) {
        long total = machine.total() - before.machine.total();
        if (total <= 0 || machine.total() < 0 || before.machine.total() < 0) {
            return Double.NaN;
        }
        long ours = (machine.self() - before.machine.self()) + (childrenTicks - before.childrenTicks)
                + (coturnTicks - before.coturnTicks);
        long others = (machine.busy() - before.machine.busy()) - ours;
        return Math.max(0, others) * (double) Runtime.getRuntime().availableProcessors() / total;
    }
}
