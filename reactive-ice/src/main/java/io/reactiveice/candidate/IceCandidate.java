package io.reactiveice.candidate;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * An ICE candidate (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1">RFC 8445 section
 * 5.1</a>), with every field of the SDP {@code candidate} attribute
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC 8839 section 5.1</a>).
 *
 * @param foundation 1 to 32 ice-chars; candidates with equal foundations are alike
 * @param componentId 1 to 256 (1 for RTP or a single data stream)
 * @param transport UDP or TCP
 * @param priority 1 to 2^32 - 1
 * @param address an IP literal, or a host name such as an mDNS {@code <uuid>.local}
 * @param port 0 to 65535
 * @param type host, srflx, prflx or relay
 * @param relatedAddress {@code raddr}, or {@code null}
 * @param relatedPort {@code rport}, or -1 when there is none
 * @param tcpType for TCP candidates, or {@code null}
 * @param extensions further attributes in order, kept as received (e.g. {@code generation 0})
 */
public record IceCandidate(String foundation, int componentId, TransportProtocol transport, long priority,
        String address, int port, CandidateType type, String relatedAddress, int relatedPort, TcpType tcpType,
        List<Extension> extensions) {

    /**
     * A name-value pair after the standard fields of a candidate line.
     *
     * @param name the attribute name
     * @param value its value
     */
    public record Extension(String name, String value) {
        /** Checks the fields. */
        public Extension {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Checks every field, naming the one that is wrong. */
    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        if (foundation.isEmpty() || foundation.length() > 32) {
            throw new IllegalArgumentException("foundation must be 1..32 characters but was \"" + foundation + "\"");
        }
        if (componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("componentId must be 1..256 but was " + componentId);
        }
        Objects.requireNonNull(transport, "transport");
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority must be 1..4294967295 but was " + priority);
        }
        Objects.requireNonNull(address, "address");
        if (address.isEmpty()) {
            throw new IllegalArgumentException("address must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535 but was " + port);
        }
        Objects.requireNonNull(type, "type");
        if (relatedPort < -1 || relatedPort > 65_535) {
            throw new IllegalArgumentException("relatedPort must be 0..65535 (or -1 for none) but was " + relatedPort);
        }
        extensions = List.copyOf(extensions);
    }

    /**
     * A UDP candidate without related address or extensions.
     *
     * @param foundation the foundation
     * @param componentId the component
     * @param priority the priority
     * @param address the transport address
     * @param type the type
     * @return the candidate
     */
    public static IceCandidate udp(String foundation, int componentId, long priority, InetSocketAddress address,
            CandidateType type) {
        return new IceCandidate(foundation, componentId, TransportProtocol.UDP, priority,
                address.getAddress().getHostAddress(), address.getPort(), type, null, -1, null, List.of());
    }

    /** Whether {@link #address()} is an IP literal (and not, say, an mDNS name). */
    public boolean hasIpAddress() {
        return IpLiteral.isLiteral(address);
    }

    /**
     * The transport address, never resolving a name.
     *
     * @return the address
     * @throws IllegalStateException if the address is a host name, which must be resolved first
     */
    public InetSocketAddress socketAddress() {
        InetAddress ip = IpLiteral.parse(address);
        if (ip == null) {
            throw new IllegalStateException("candidate address " + address + " is a name, not an IP address");
        }
        return new InetSocketAddress(ip, port);
    }

    /**
     * This candidate with another address, e.g. an mDNS name resolved to an IP address.
     *
     * @param newAddress the address
     * @return the copy (checked like any candidate)
     */
    public IceCandidate withAddress(String newAddress) {
        return new IceCandidate(foundation, componentId, transport, priority, newAddress, port, type, relatedAddress,
                relatedPort, tcpType, extensions);
    }

    /**
     * This candidate with another priority.
     *
     * @param newPriority the priority
     * @return the copy
     */
    public IceCandidate withPriority(long newPriority) {
        return new IceCandidate(foundation, componentId, transport, newPriority, address, port, type, relatedAddress,
                relatedPort, tcpType, extensions);
    }
}
