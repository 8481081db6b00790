package io.reactiveice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering of STYLE.md: stun, then candidate, then agent and gather, then sdp, then
 * transport, then the public shell; arrows point down only, and the protocol packages know neither
 * Netty nor Reactor.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.reactiveice");

    @Test
    void protocolPackagesUseNeitherNettyNorReactor() {
        noClasses().that().resideInAnyPackage("io.reactiveice.stun..", "io.reactiveice.candidate..",
                        "io.reactiveice.agent..", "io.reactiveice.gather..", "io.reactiveice.sdp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor..")
                .check(CLASSES);
    }

    @Test
    void stunDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("io.reactiveice.stun..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.candidate..", "io.reactiveice.agent..",
                        "io.reactiveice.gather..", "io.reactiveice.sdp..", "io.reactiveice.transport..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
    }

    @Test
    void candidateAgentAndGatherLookOnlyUpward() {
        noClasses().that().resideInAPackage("io.reactiveice.candidate..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.agent..", "io.reactiveice.gather..",
                        "io.reactiveice.sdp..", "io.reactiveice.transport..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.reactiveice.agent..", "io.reactiveice.gather..")
                .should().dependOnClassesThat().resideInAnyPackage("io.reactiveice.sdp..", "io.reactiveice.transport..")
                .orShould().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.agent..")
                .should().dependOnClassesThat().resideInAPackage("io.reactiveice.gather..")
                .check(CLASSES);
    }

    @Test
    void sdpAndTransportNeverReachTheShell() {
        noClasses().that().resideInAnyPackage("io.reactiveice.sdp..", "io.reactiveice.transport..")
                .should().dependOnClassesThat().resideInAPackage("io.reactiveice")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.reactiveice.sdp..")
                .should().dependOnClassesThat().resideInAPackage("io.reactiveice.transport..")
                .check(CLASSES);
    }
}
