package io.reactiveice.samples.webflux;

import io.reactiveice.IceAgent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * ICE-lite agents for the sample, through {@code IceAgent.lite(boolean)}, which issue 5 adds to the
 * library beside this sample. Until the library has it, the service offers the full mode only
 * (its {@code hello} message lists the modes); this class goes away once it has.
 */
final class LiteMode {
    private static final Method LITE = find();

    private LiteMode() {
    }

    /** Whether the library can make lite agents. */
    static boolean available() {
        return LITE != null;
    }

    /** The configuration with {@code lite(true)}. */
    static IceAgent enable(IceAgent agent) {
        if (LITE == null) {
            throw new IllegalStateException("this build of reactive-ice has no ICE-lite agent (IceAgent.lite)");
        }
        try {
            return (IceAgent) LITE.invoke(agent, true);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("IceAgent.lite(true) failed", e);
        }
    }

    private static Method find() {
        try {
            return IceAgent.class.getMethod("lite", boolean.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
