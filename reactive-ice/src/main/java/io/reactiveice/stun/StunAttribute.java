package io.reactiveice.stun;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One STUN attribute as a typed value: the allocation-friendly side of the codec, for code that is
 * not on the hot path (logging, tests, TURN control messages). The hot path reads values straight
 * from {@link StunMessageReader}.
 *
 * <p>Every attribute of RFC 8489 section 14, RFC 8445 section 16.1 and RFC 8656 section 18, and
 * NOMINATION of ICE renomination, has a record here; anything else is {@link Unknown}, so the set of representations is closed while the
 * set of types stays open.
 */
public sealed interface StunAttribute {

    /** The attribute type. */
    StunAttributeType type();

    /** A transport address: the IP address and port. */
    sealed interface AddressAttribute extends StunAttribute {
        /** The address. */
        InetSocketAddress address();
    }

    /** A UTF-8 text attribute. */
    sealed interface TextAttribute extends StunAttribute {
        /** The text. */
        String value();
    }

    /** MAPPED-ADDRESS (RFC 8489 section 14.1). @param address the address */
    record MappedAddress(InetSocketAddress address) implements AddressAttribute {
        public MappedAddress { Objects.requireNonNull(address, "address"); }
        @Override public StunAttributeType type() { return StunAttributeType.MAPPED_ADDRESS; }
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2). @param address the address */
    record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {
        public XorMappedAddress { Objects.requireNonNull(address, "address"); }
        @Override public StunAttributeType type() { return StunAttributeType.XOR_MAPPED_ADDRESS; }
    }

    /** XOR-PEER-ADDRESS (RFC 8656 section 18.3). @param address the address */
    record XorPeerAddress(InetSocketAddress address) implements AddressAttribute {
        public XorPeerAddress { Objects.requireNonNull(address, "address"); }
        @Override public StunAttributeType type() { return StunAttributeType.XOR_PEER_ADDRESS; }
    }

    /** XOR-RELAYED-ADDRESS (RFC 8656 section 18.5). @param address the address */
    record XorRelayedAddress(InetSocketAddress address) implements AddressAttribute {
        public XorRelayedAddress { Objects.requireNonNull(address, "address"); }
        @Override public StunAttributeType type() { return StunAttributeType.XOR_RELAYED_ADDRESS; }
    }

    /** ALTERNATE-SERVER (RFC 8489 section 14.15). @param address the address */
    record AlternateServer(InetSocketAddress address) implements AddressAttribute {
        public AlternateServer { Objects.requireNonNull(address, "address"); }
        @Override public StunAttributeType type() { return StunAttributeType.ALTERNATE_SERVER; }
    }

    /** USERNAME (RFC 8489 section 14.3). @param value the username */
    record Username(String value) implements TextAttribute {
        public Username { Objects.requireNonNull(value, "value"); }
        @Override public StunAttributeType type() { return StunAttributeType.USERNAME; }
    }

    /** REALM (RFC 8489 section 14.9). @param value the realm */
    record Realm(String value) implements TextAttribute {
        public Realm { Objects.requireNonNull(value, "value"); }
        @Override public StunAttributeType type() { return StunAttributeType.REALM; }
    }

    /** NONCE (RFC 8489 section 14.10). @param value the nonce */
    record Nonce(String value) implements TextAttribute {
        public Nonce { Objects.requireNonNull(value, "value"); }
        @Override public StunAttributeType type() { return StunAttributeType.NONCE; }
    }

    /** SOFTWARE (RFC 8489 section 14.14). @param value the description */
    record Software(String value) implements TextAttribute {
        public Software { Objects.requireNonNull(value, "value"); }
        @Override public StunAttributeType type() { return StunAttributeType.SOFTWARE; }
    }

    /** ALTERNATE-DOMAIN (RFC 8489 section 14.16). @param value the domain name */
    record AlternateDomain(String value) implements TextAttribute {
        public AlternateDomain { Objects.requireNonNull(value, "value"); }
        @Override public StunAttributeType type() { return StunAttributeType.ALTERNATE_DOMAIN; }
    }

    /** USERHASH (RFC 8489 section 14.4). @param hash the 32-byte hash */
    record UserHash(StunBytes hash) implements StunAttribute {
        public UserHash {
            Objects.requireNonNull(hash, "hash");
            if (hash.length() != 32) {
                throw new IllegalArgumentException("hash must be 32 bytes but was " + hash.length());
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.USERHASH; }
    }

    /** MESSAGE-INTEGRITY (RFC 8489 section 14.5), as received. @param mac the 20-byte HMAC-SHA1 */
    record MessageIntegrity(StunBytes mac) implements StunAttribute {
        public MessageIntegrity {
            Objects.requireNonNull(mac, "mac");
            if (mac.length() != 20) {
                throw new IllegalArgumentException("mac must be 20 bytes but was " + mac.length());
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.MESSAGE_INTEGRITY; }
    }

    /** MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6), as received. @param mac 16 to 32 bytes */
    record MessageIntegritySha256(StunBytes mac) implements StunAttribute {
        public MessageIntegritySha256 {
            Objects.requireNonNull(mac, "mac");
            if (mac.length() < 16 || mac.length() > 32 || mac.length() % 4 != 0) {
                throw new IllegalArgumentException("mac must be 16..32 bytes, a multiple of 4, but was " + mac.length());
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.MESSAGE_INTEGRITY_SHA256; }
    }

    /** FINGERPRINT (RFC 8489 section 14.7), as received. @param value CRC-32 XOR 0x5354554E */
    record Fingerprint(int value) implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.FINGERPRINT; }
    }

    /**
     * ERROR-CODE (RFC 8489 section 14.8).
     *
     * @param code 300 to 699
     * @param reason the reason phrase
     */
    record ErrorCode(int code, String reason) implements StunAttribute {
        public ErrorCode {
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("code must be 300..699 but was " + code);
            }
            Objects.requireNonNull(reason, "reason");
        }
        @Override public StunAttributeType type() { return StunAttributeType.ERROR_CODE; }
    }

    /**
     * One entry of PASSWORD-ALGORITHMS, or the value of PASSWORD-ALGORITHM.
     *
     * @param algorithm the algorithm
     * @param parameters its parameters (empty for MD5 and SHA-256)
     */
    record AlgorithmEntry(PasswordAlgorithm algorithm, StunBytes parameters) {
        public AlgorithmEntry {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(parameters, "parameters");
        }
    }

    /** PASSWORD-ALGORITHMS (RFC 8489 section 14.11). @param algorithms in the server's order */
    record PasswordAlgorithms(List<AlgorithmEntry> algorithms) implements StunAttribute {
        public PasswordAlgorithms { algorithms = List.copyOf(algorithms); }
        @Override public StunAttributeType type() { return StunAttributeType.PASSWORD_ALGORITHMS; }
    }

    /** PASSWORD-ALGORITHM (RFC 8489 section 14.12). @param algorithm the chosen algorithm */
    record PasswordAlgorithmChoice(AlgorithmEntry algorithm) implements StunAttribute {
        public PasswordAlgorithmChoice { Objects.requireNonNull(algorithm, "algorithm"); }
        @Override public StunAttributeType type() { return StunAttributeType.PASSWORD_ALGORITHM; }
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.13). @param types the attribute codes not understood */
    record UnknownAttributes(List<Integer> types) implements StunAttribute {
        public UnknownAttributes { types = List.copyOf(types); }
        @Override public StunAttributeType type() { return StunAttributeType.UNKNOWN_ATTRIBUTES; }
    }

    /** PRIORITY (RFC 8445 section 7.1.1). @param value the candidate priority */
    record Priority(int value) implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.PRIORITY; }
    }

    /** USE-CANDIDATE (RFC 8445 section 7.1.2), a flag with no value. */
    record UseCandidate() implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.USE_CANDIDATE; }
    }

    /** ICE-CONTROLLED (RFC 8445 section 7.1.3). @param tieBreaker the tie-breaker */
    record IceControlled(long tieBreaker) implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.ICE_CONTROLLED; }
    }

    /** ICE-CONTROLLING (RFC 8445 section 7.1.3). @param tieBreaker the tie-breaker */
    record IceControlling(long tieBreaker) implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.ICE_CONTROLLING; }
    }

    /**
     * NOMINATION (draft-thatcher-ice-renomination): the controlling agent's nomination counter, a 32-bit
     * unsigned number as libwebrtc writes it; the controlled agent follows the highest it has seen.
     *
     * @param value the counter, 0 to 4294967295 (0 is not a valid nomination)
     */
    record Nomination(long value) implements StunAttribute {
        public Nomination {
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("value must be 0..4294967295 but was " + value);
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.NOMINATION; }
    }

    /** CHANNEL-NUMBER (RFC 8656 section 18.1). @param number the channel, 0x4000 to 0x4FFF when valid */
    record ChannelNumber(int number) implements StunAttribute {
        public ChannelNumber {
            if (number < 0 || number > 0xFFFF) {
                throw new IllegalArgumentException("number must be 0..0xFFFF but was " + number);
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.CHANNEL_NUMBER; }
    }

    /** LIFETIME (RFC 8656 section 18.2). @param seconds the lifetime, an unsigned 32-bit number */
    record Lifetime(long seconds) implements StunAttribute {
        public Lifetime {
            if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("seconds must be 0..4294967295 but was " + seconds);
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.LIFETIME; }
    }

    /** DATA (RFC 8656 section 18.4). @param value the application data */
    record Data(StunBytes value) implements StunAttribute {
        public Data { Objects.requireNonNull(value, "value"); }
        @Override public StunAttributeType type() { return StunAttributeType.DATA; }
    }

    /** REQUESTED-ADDRESS-FAMILY (RFC 8656 section 18.6). @param family 0x01 IPv4, 0x02 IPv6 */
    record RequestedAddressFamily(int family) implements StunAttribute {
        public RequestedAddressFamily { StunAddressCodec.checkFamilyByte(family); }
        @Override public StunAttributeType type() { return StunAttributeType.REQUESTED_ADDRESS_FAMILY; }
    }

    /** EVEN-PORT (RFC 8656 section 18.7). @param reserveNext the R bit: reserve the next port too */
    record EvenPort(boolean reserveNext) implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.EVEN_PORT; }
    }

    /** REQUESTED-TRANSPORT (RFC 8656 section 18.8). @param protocol the IP protocol number, 17 for UDP */
    record RequestedTransport(int protocol) implements StunAttribute {
        public RequestedTransport {
            if (protocol < 0 || protocol > 255) {
                throw new IllegalArgumentException("protocol must be 0..255 but was " + protocol);
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.REQUESTED_TRANSPORT; }
    }

    /** DONT-FRAGMENT (RFC 8656 section 18.9), a flag with no value. */
    record DontFragment() implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.DONT_FRAGMENT; }
    }

    /** RESERVATION-TOKEN (RFC 8656 section 18.10). @param token the 8-byte token */
    record ReservationToken(long token) implements StunAttribute {
        @Override public StunAttributeType type() { return StunAttributeType.RESERVATION_TOKEN; }
    }

    /** ADDITIONAL-ADDRESS-FAMILY (RFC 8656 section 18.11). @param family 0x02 IPv6 */
    record AdditionalAddressFamily(int family) implements StunAttribute {
        public AdditionalAddressFamily { StunAddressCodec.checkFamilyByte(family); }
        @Override public StunAttributeType type() { return StunAttributeType.ADDITIONAL_ADDRESS_FAMILY; }
    }

    /**
     * ADDRESS-ERROR-CODE (RFC 8656 section 18.12).
     *
     * @param family the address family the error is about
     * @param code 300 to 699
     * @param reason the reason phrase
     */
    record AddressErrorCode(int family, int code, String reason) implements StunAttribute {
        public AddressErrorCode {
            StunAddressCodec.checkFamilyByte(family);
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("code must be 300..699 but was " + code);
            }
            Objects.requireNonNull(reason, "reason");
        }
        @Override public StunAttributeType type() { return StunAttributeType.ADDRESS_ERROR_CODE; }
    }

    /**
     * ICMP (RFC 8656 section 18.13).
     *
     * @param icmpType the ICMP type
     * @param icmpCode the ICMP code
     * @param errorData the error data word (e.g. the MTU for "fragmentation needed")
     */
    record Icmp(int icmpType, int icmpCode, int errorData) implements StunAttribute {
        public Icmp {
            if (icmpType < 0 || icmpType > 127) {
                throw new IllegalArgumentException("icmpType must be 0..127 but was " + icmpType);
            }
            if (icmpCode < 0 || icmpCode > 511) {
                throw new IllegalArgumentException("icmpCode must be 0..511 but was " + icmpCode);
            }
        }
        @Override public StunAttributeType type() { return StunAttributeType.ICMP; }
    }

    /**
     * An attribute this library does not understand, kept as bytes.
     *
     * @param code the type code
     * @param value the value, without padding
     */
    record Unknown(int code, StunBytes value) implements StunAttribute {
        public Unknown {
            if (code < 0 || code > 0xFFFF) {
                throw new IllegalArgumentException("code must be 0..0xFFFF but was " + code);
            }
            if (StunAttributeType.isKnown(code)) {
                throw new IllegalArgumentException(String.format("code 0x%04X is %s: use its own record", code,
                        StunAttributeType.valueOf(code).name()));
            }
            Objects.requireNonNull(value, "value");
        }
        @Override public StunAttributeType type() { return StunAttributeType.valueOf(code); }
    }
}
