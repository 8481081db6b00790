package io.reactiveice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.reactiveice.testing.ApiBoundary;
import org.junit.jupiter.api.Test;

/**
 * The package layering of STYLE.md: stun, then candidate, then the agent's values and the core
 * ({@code internal.agent}) and gathering ({@code internal.gather}), then sdp, then transport, then the
 * public shell; arrows point down only, the protocol packages know neither Netty nor Reactor, and no
 * internal type shows in a public signature of an API package ({@link ApiBoundary}).
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.reactiveice");

    @Test
    void noInternalTypeAppearsInAPublicSignatureOfAnApiPackage() {
        ApiBoundary.noInternalTypeInApiSignatures().check(CLASSES);
    }

    @Test
    void protocolPackagesUseNeitherNettyNorReactor() {
        noClasses().that().resideInAnyPackage("io.reactiveice.stun..", "io.reactiveice.candidate..",
                        "io.reactiveice.agent..", "io.reactiveice.sdp..", "io.reactiveice.internal.agent..",
                        "io.reactiveice.internal.gather..", "io.reactiveice.internal.sansio..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor..")
                .check(CLASSES);
    }

    @Test
    void theRunnerUsesReactorButNotNetty() {
        noClasses().that().resideInAPackage("io.reactiveice.internal.runner..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(CLASSES);
    }

    @Test
    void stunAndTheSansIoContractDependOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("io.reactiveice.stun..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.candidate..", "io.reactiveice.agent..",
                        "io.reactiveice.sdp..", "io.reactiveice.transport..", "io.reactiveice.internal..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.internal.sansio..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.stun..", "io.reactiveice.candidate..",
                        "io.reactiveice.agent..", "io.reactiveice.sdp..", "io.reactiveice.transport..",
                        "io.reactiveice.internal.agent..", "io.reactiveice.internal.gather..",
                        "io.reactiveice.internal.runner..", "io.reactiveice.internal.transport..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
    }

    @Test
    void candidatesAndTheAgentsValuesLookOnlyUpward() {
        noClasses().that().resideInAPackage("io.reactiveice.candidate..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.agent..", "io.reactiveice.sdp..",
                        "io.reactiveice.transport..", "io.reactiveice.internal..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.sdp..", "io.reactiveice.transport..",
                        "io.reactiveice.internal..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
    }

    @Test
    void theCoreAndGatheringLookOnlyUpward() {
        noClasses().that().resideInAnyPackage("io.reactiveice.internal.agent..", "io.reactiveice.internal.gather..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.sdp..", "io.reactiveice.transport..",
                        "io.reactiveice.internal.runner..", "io.reactiveice.internal.transport..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.internal.agent..")
                .should().dependOnClassesThat().resideInAPackage("io.reactiveice.internal.gather..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.internal.gather..")
                .should().dependOnClassesThat().resideInAPackage("io.reactiveice.internal.agent..")
                .check(CLASSES);
    }

    @Test
    void sdpTransportAndTheirHelpersNeverReachTheShell() {
        noClasses().that().resideInAnyPackage("io.reactiveice.sdp..", "io.reactiveice.transport..",
                        "io.reactiveice.internal.transport..")
                .should().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.sdp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.transport..",
                        "io.reactiveice.internal.transport..", "io.reactiveice.internal.runner..")
                .check(CLASSES);
    }
}
