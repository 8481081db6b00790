package io.reactiveice.turn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.reactiveice.testing.ApiBoundary;
import org.junit.jupiter.api.Test;

/**
 * The TURN module's boundary: its API ({@code io.reactiveice.turn}) shows no internal type in a public
 * signature, the sans-IO core in {@code io.reactiveice.internal.turn} (all but the relay's reactive
 * shell) knows neither Netty nor Reactor, and the internals never reach back into the API's shell classes.
 */
class TurnArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.reactiveice.turn", "io.reactiveice.internal.turn");

    /** The reactive shell of the relay; everything else in internal.turn is the sans-IO core. */
    private static final String SHELL = "io\\.reactiveice\\.internal\\.turn\\.(RelaySession|RelayFacade|RelayFrames|RelayedSocketAdapter|TurnRelayHandle|TurnStreamSocket|TurnStreams)(\\$.*)?";

    @Test
    void noInternalTypeAppearsInAPublicSignatureOfTheTurnApi() {
        ApiBoundary.noInternalTypeInApiSignatures().check(CLASSES);
    }

    @Test
    void theSansIoCoreOfTheRelayUsesNeitherNettyNorReactor() {
        noClasses().that().resideInAPackage("io.reactiveice.internal.turn")
                .and().haveNameNotMatching(SHELL)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor..")
                .check(CLASSES);
    }

    @Test
    void theInternalsNeverReachTheRelayAllocator() {
        noClasses().that().resideInAPackage("io.reactiveice.internal.turn..")
                .should().dependOnClassesThat().haveFullyQualifiedName(TurnRelayAllocator.class.getName())
                .check(CLASSES);
    }
}
