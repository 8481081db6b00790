package io.reactiveice.transport;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** The local network interface that has a given address, for sockets that must use that one only. */
final class LocalInterfaces {
    private LocalInterfaces() {
    }

    /**
     * The interface with this address.
     *
     * @throws IllegalStateException when no interface has it, or the interfaces cannot be listed
     */
    static NetworkInterface of(InetAddress address) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            if (nif == null) {
                throw new IllegalStateException("no interface has the address " + address.getHostAddress());
            }
            return nif;
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the interfaces to find " + address.getHostAddress(), e);
        }
    }
}
