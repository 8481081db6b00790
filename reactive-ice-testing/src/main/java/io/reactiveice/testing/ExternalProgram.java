package io.reactiveice.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a third-party program a test needs, and fails with the Debian package to install when it is
 * absent: tests never skip silently. {@code ./run-tests.sh} installs every such package.
 */
public final class ExternalProgram {
    private ExternalProgram() {
    }

    /**
     * The path of an executable on the {@code PATH}.
     *
     * @param name the program, e.g. {@code turnserver}
     * @param debianPackage the package that provides it, e.g. {@code coturn}
     * @return its path
     * @throws AssertionError naming the package when the program is missing
     */
    public static Path require(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed: this test needs the Debian package '" + debianPackage
                + "' (apt-get install -y " + debianPackage + ", or run ./run-tests.sh, which installs it)");
    }
}
