package p2pool4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Consensus code is pure: no Vert.x, no network, no database, no files, no clock, no randomness.
 * Time and randomness come in as parameters, so every result can be checked against vectors.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("p2pool4j");

    @Test
    void consensusPackagesDoNoIo() {
        noClasses().that().resideInAnyPackage("p2pool4j.bitcoin..", "p2pool4j.sharechain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "java.net..", "java.sql..", "java.nio.file..",
                        "io.netty..", "p2pool4j.bitcoind..", "p2pool4j.p2p..", "p2pool4j.work..", "p2pool4j.stats..",
                        "p2pool4j.web..", "p2pool4j.app..", "p2pool4j.net..")
                .check(MAIN);
    }

    @Test
    void consensusPackagesReadNoClockAndDrawNoRandomNumbers() {
        noClasses().that().resideInAnyPackage("p2pool4j.bitcoin..", "p2pool4j.sharechain..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .check(MAIN);
    }

    @Test
    void bitcoinKnowsNothingOfShares() {
        noClasses().that().resideInAPackage("p2pool4j.bitcoin..")
                .should().dependOnClassesThat().resideInAPackage("p2pool4j.sharechain..").check(MAIN);
    }
}
