package io.reactiveice.internal.turn;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.NonceCookie;
import io.reactiveice.stun.PasswordAlgorithm;
import io.reactiveice.stun.PasswordPreparation;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunBytes;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.turn.TurnAuthenticationException;
import io.reactiveice.turn.TurnException;
import io.reactiveice.turn.TurnProtocolException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The long-term credential after the server's challenge
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.2">RFC 8489 section 9.2</a>): realm,
 * nonce, the chosen password algorithm and the key derived from them. Signs requests and checks
 * responses; sends USERHASH instead of USERNAME when the nonce cookie asks for username anonymity
 * (RFC 8489 sections 9.2.4 and 14.4). Holds the password only to derive a new key when the realm changes; never shows it.
 */
final class LongTermAuth {
    private final String username;
    private final String password;
    private final String realm;
    private final String nonce;
    private final StunAttribute.PasswordAlgorithms offered; // null when the server offered none
    private final PasswordAlgorithm algorithm;
    private final IntegrityKey key;
    private final StunBytes userHash; // null unless the nonce cookie asks for username anonymity

    private LongTermAuth(String username, String password, String realm, String nonce,
            StunAttribute.PasswordAlgorithms offered, PasswordAlgorithm algorithm, IntegrityKey key) {
        this.username = username;
        this.password = password;
        this.realm = realm;
        this.nonce = nonce;
        this.offered = offered;
        this.algorithm = algorithm;
        this.key = key;
        NonceCookie cookie = NonceCookie.parse(nonce);
        this.userHash = cookie != null && cookie.has(NonceCookie.USERNAME_ANONYMITY)
                ? StunBytes.of(IntegrityKey.userHash(username, realm, PasswordPreparation.OPAQUE_STRING)) : null;
    }

    /**
     * The credential for a 401 challenge: SHA-256 when PASSWORD-ALGORITHMS offers it, else MD5
     * (RFC 8489 section 9.2.4).
     *
     * @return the credential, or {@code null} when the server offers only algorithms we cannot use
     */
    static LongTermAuth challenge(String username, String password, String realm, String nonce,
            StunAttribute.PasswordAlgorithms offered) {
        PasswordAlgorithm chosen = PasswordAlgorithm.MD5;
        if (offered != null) {
            List<PasswordAlgorithm> algorithms = offered.algorithms().stream()
                    .map(StunAttribute.AlgorithmEntry::algorithm).toList();
            if (algorithms.contains(PasswordAlgorithm.SHA_256)) {
                chosen = PasswordAlgorithm.SHA_256;
            } else if (!algorithms.contains(PasswordAlgorithm.MD5)) {
                return null;
            }
        }
        return new LongTermAuth(username, password, realm, nonce, offered, chosen,
                IntegrityKey.longTerm(username, realm, password, chosen));
    }

    /**
     * The credential a 401 challenge asks for (RFC 8489 section 9.2.3).
     *
     * @throws TurnException when the challenge lacks REALM or NONCE, offers no usable algorithm, or
     *         announces PASSWORD-ALGORITHMS in its nonce cookie without the attribute (a downgrade)
     */
    static LongTermAuth fromChallenge(StunMessageReader reader, InetSocketAddress server, String username,
            String password) {
        int realmIndex = reader.indexOf(StunAttributeType.REALM);
        int nonceIndex = reader.indexOf(StunAttributeType.NONCE);
        if (realmIndex < 0 || nonceIndex < 0) {
            throw new TurnProtocolException(server, "401 without REALM or NONCE");
        }
        int algorithmsIndex = reader.indexOf(StunAttributeType.PASSWORD_ALGORITHMS);
        StunAttribute.PasswordAlgorithms offered = algorithmsIndex < 0 ? null
                : (StunAttribute.PasswordAlgorithms) reader.attribute(algorithmsIndex);
        String nonce = reader.string(nonceIndex);
        LongTermAuth auth = challenge(username, password, reader.string(realmIndex), nonce, offered);
        if (auth == null || offered == null && cookieAnnouncesAlgorithms(nonce)) {
            throw new TurnAuthenticationException(server, username, 0,
                    "no acceptable password algorithm (RFC 8489 section 9.2.5)");
        }
        return auth;
    }

    /** After 438 Stale Nonce: the credential with the response's NONCE (and REALM), or {@code null} if it has none. */
    LongTermAuth afterStaleNonce(StunMessageReader reader) {
        int nonceIndex = reader.indexOf(StunAttributeType.NONCE);
        if (nonceIndex < 0) {
            return null;
        }
        int realmIndex = reader.indexOf(StunAttributeType.REALM);
        return withNonce(reader.string(nonceIndex), realmIndex < 0 ? null : reader.string(realmIndex));
    }

    /** The same credential with a new nonce (438 Stale Nonce), and a new key if the realm changed. */
    LongTermAuth withNonce(String newNonce, String newRealm) {
        String r = newRealm == null ? realm : newRealm;
        IntegrityKey k = r.equals(realm) ? key : IntegrityKey.longTerm(username, r, password, algorithm);
        return new LongTermAuth(username, password, r, newNonce, offered, algorithm, k);
    }

    /** Whether a NONCE announces the password-algorithms feature (RFC 8489 section 9.2). */
    static boolean cookieAnnouncesAlgorithms(String nonce) {
        NonceCookie cookie = NonceCookie.parse(nonce);
        return cookie != null && cookie.has(NonceCookie.PASSWORD_ALGORITHMS);
    }

    /** Adds USERNAME (or USERHASH), REALM, NONCE, the algorithm attributes and the integrity attribute. */
    void sign(StunMessageWriter writer) {
        if (userHash != null) {
            writer.put(new StunAttribute.UserHash(userHash));
        } else {
            writer.put(new StunAttribute.Username(username));
        }
        writer.put(new StunAttribute.Realm(realm));
        writer.put(new StunAttribute.Nonce(nonce));
        if (offered != null) {
            writer.put(offered);
            writer.put(new StunAttribute.PasswordAlgorithmChoice(
                    new StunAttribute.AlgorithmEntry(algorithm, StunBytes.empty())));
        }
        if (algorithm.equals(PasswordAlgorithm.SHA_256)) {
            writer.putMessageIntegritySha256(key);
        } else {
            writer.putMessageIntegrity(key);
        }
    }

    /** Whether the message the reader holds carries a matching MESSAGE-INTEGRITY(-SHA256). */
    boolean verifies(StunMessageReader reader) {
        if (reader.hasIntegritySha256()) {
            return reader.integritySha256Matches(key);
        }
        return reader.integrityMatches(key);
    }

    /** Whether requests carry USERHASH instead of USERNAME. */
    boolean anonymous() {
        return userHash != null;
    }

    String username() {
        return username;
    }

    String realm() {
        return realm;
    }

    PasswordAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return "LongTermAuth[user=" + username + ", realm=" + realm + ", algorithm=" + algorithm + "]";
    }
}
