package io.reactiveice.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One coturn for a whole test class: started before its first test, stopped after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CoturnExtension COTURN = CoturnExtension.start("verbose");
 * }</pre>
 */
public final class CoturnExtension implements BeforeAllCallback, AfterAllCallback {
    private final boolean tls;
    private final String[] extraLines;
    private Coturn coturn;

    private CoturnExtension(boolean tls, String[] extraLines) {
        this.tls = tls;
        this.extraLines = extraLines.clone();
    }

    /** A coturn on UDP and TCP ({@link Coturn#start}), with extra configuration lines. */
    public static CoturnExtension start(String... extraLines) {
        return new CoturnExtension(false, extraLines);
    }

    /** A coturn that also listens for TLS ({@link Coturn#startWithTls}), with extra configuration lines. */
    public static CoturnExtension startWithTls(String... extraLines) {
        return new CoturnExtension(true, extraLines);
    }

    /** The running server; only between the class's first and last test. */
    public Coturn get() {
        if (coturn == null) {
            throw new IllegalStateException("coturn runs only while the test class does");
        }
        return coturn;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        coturn = tls ? Coturn.startWithTls(extraLines) : Coturn.start(extraLines);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (coturn != null) {
            coturn.close();
            coturn = null;
        }
    }
}
