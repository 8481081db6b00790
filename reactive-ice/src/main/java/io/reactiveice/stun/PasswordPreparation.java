package io.reactiveice.stun;

import java.text.Normalizer;
import java.util.Objects;

/**
 * How a username, realm or password is prepared before it enters a key.
 *
 * <p>RFC 8489 (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.2.2">section 9.2.2</a>)
 * prepares them with the OpaqueString profile of PRECIS
 * (<a href="https://www.rfc-editor.org/rfc/rfc8265#section-4.2">RFC 8265 section 4.2</a>); RFC 5389
 * used SASLprep (RFC 4013), and the test vectors of RFC 5769 and of RFC 8489 appendix B were
 * computed with it. Both are here, so that old peers and the RFCs' own vectors can be met.
 */
public enum PasswordPreparation {
    /** PRECIS OpaqueString: non-ASCII spaces become U+0020, NFC, controls and ignorables refused. */
    OPAQUE_STRING {
        @Override
        public String prepare(String field, String value) {
            String mapped = mapSpaces(value);
            String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFC);
            refuseDisallowed(field, normalized, true);
            return normalized;
        }
    },
    /** SASLprep (RFC 4013): "mapped to nothing" characters removed, spaces mapped, NFKC. */
    SASLPREP {
        @Override
        public String prepare(String field, String value) {
            StringBuilder kept = new StringBuilder(value.length());
            value.codePoints().filter(cp -> !isMappedToNothing(cp)).forEach(kept::appendCodePoint);
            String normalized = Normalizer.normalize(mapSpaces(kept.toString()), Normalizer.Form.NFKC);
            refuseDisallowed(field, normalized, false);
            return normalized;
        }
    },
    /** The string as given: for peers whose passwords are known to be plain ASCII. */
    NONE {
        @Override
        public String prepare(String field, String value) {
            return Objects.requireNonNull(value, field);
        }
    };

    /**
     * Prepares one value.
     *
     * @param field the name of the field, for the error message; for {@code "password"} the message
     *     never shows any part of the value
     * @param value the value
     * @return the prepared value
     * @throws IllegalArgumentException naming the field and the code point it refuses (except in a password)
     */
    public abstract String prepare(String field, String value);

    private static String mapSpaces(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp ->
                out.appendCodePoint(cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR ? ' ' : cp));
        return out.toString();
    }

    private static void refuseDisallowed(String field, String value, boolean refuseIgnorable) {
        value.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean bad = type == Character.CONTROL || type == Character.UNASSIGNED || type == Character.SURROGATE
                    || (refuseIgnorable && type == Character.FORMAT);
            if (bad) {
                String what = PASSWORD.equals(field) ? "a character (not shown: it is a credential)"
                        : String.format("U+%04X", cp);
                throw new IllegalArgumentException(String.format("%s contains %s, which %s does not allow", field,
                        what, refuseIgnorable ? "OpaqueString (RFC 8265)" : "SASLprep (RFC 4013)"));
            }
        });
    }

    /** The field name whose value an error message never shows. */
    private static final String PASSWORD = "password";

    /** RFC 3454 table B.1, "commonly mapped to nothing". */
    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }
}
