package io.reactiveice.internal.gather;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between one enumeration of the usable local addresses and the next (issue 13's
 * network monitor): which appeared, which disappeared, and the set now in preference order. One per
 * monitor, fed from one serialized source; it does no I/O and allocates only when the set changed,
 * so an unchanged poll costs one set comparison however many sessions watch.
 */
public final class AddressDiff {
    private List<InetAddress> current;
    private Set<InetAddress> currentSet = Set.of();
    private List<InetAddress> appeared = List.of();
    private List<InetAddress> disappeared = List.of();

    /**
     * Takes the next enumeration.
     *
     * @param addresses the usable addresses now, best first (RFC 8421 order)
     * @return whether this is the first enumeration or the set differs from the one before; only then
     *     do {@link #current()}, {@link #appeared()} and {@link #disappeared()} change
     */
    public boolean next(List<InetAddress> addresses) {
        Objects.requireNonNull(addresses, "addresses");
        if (current != null && currentSet.size() == addresses.size() && currentSet.containsAll(addresses)) {
            return false;
        }
        Set<InetAddress> now = new HashSet<>(addresses);
        List<InetAddress> in = new ArrayList<>(2);
        for (InetAddress a : addresses) {
            if (!currentSet.contains(a)) {
                in.add(a);
            }
        }
        List<InetAddress> out = new ArrayList<>(2);
        for (InetAddress a : current == null ? List.<InetAddress>of() : current) {
            if (!now.contains(a)) {
                out.add(a);
            }
        }
        current = List.copyOf(addresses);
        currentSet = now;
        appeared = List.copyOf(in);
        disappeared = List.copyOf(out);
        return true;
    }

    /** The addresses of the last change, best first; empty before the first. */
    public List<InetAddress> current() {
        return current == null ? List.of() : current;
    }

    /** The addresses the last change added (every address, on the first). */
    public List<InetAddress> appeared() {
        return appeared;
    }

    /** The addresses the last change removed. */
    public List<InetAddress> disappeared() {
        return disappeared;
    }
}
