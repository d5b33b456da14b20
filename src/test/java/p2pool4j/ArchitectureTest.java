package p2pool4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package table of architecture.md, checked. Consensus code is pure: no Vert.x, no network,
 * no database, no files, no clock, no randomness; time and randomness come in as parameters, so
 * every result can be checked against vectors. Packages form no cycle, and each uses only the
 * packages its row names.
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

    @Test
    void packagesFormNoCycle() {
        slices().matching("p2pool4j.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** A package of the table may use only what its row names (besides the JDK and its libraries). */
    private static void onlyUses(String pkg, String... allowed) {
        java.util.List<String> all = java.util.List.of("bitcoin", "sharechain", "bitcoind", "p2p", "work", "stratum", "getwork", "stats",
                "web", "app", "testminer", "util", "net");
        java.util.List<String> forbidden = new java.util.ArrayList<>();
        for (String p : all) {
            if (!p.equals(pkg) && !java.util.List.of(allowed).contains(p)) {
                forbidden.add("p2pool4j." + p + "..");
            }
        }
        noClasses().that().resideInAPackage("p2pool4j." + pkg + "..").should().dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new)).check(MAIN);
    }

    @Test
    void eachPackageUsesOnlyWhatItsRowNames() {
        onlyUses("bitcoin");
        onlyUses("sharechain", "bitcoin");
        onlyUses("util");
        onlyUses("net", "bitcoin");
        onlyUses("bitcoind", "bitcoin", "net", "util");
        onlyUses("p2p", "bitcoin", "sharechain", "net", "util");
        onlyUses("work", "bitcoin", "sharechain", "bitcoind", "util");
        onlyUses("getwork", "bitcoin", "sharechain", "work", "util");
        onlyUses("stratum", "bitcoin", "sharechain", "work", "getwork", "util");
        onlyUses("stats", "bitcoin", "sharechain", "work", "util");
        onlyUses("web", "work", "stats", "util");
        onlyUses("testminer", "bitcoin", "util");
    }

    @Test
    void onlyTheNodeTouchesTheTrackerOutsideConsensus() {
        // The peer layer, the miner servers and the web see the chain through snapshots and the node's queries.
        noClasses().that().resideInAnyPackage("p2pool4j.p2p..", "p2pool4j.stratum..", "p2pool4j.getwork..", "p2pool4j.web..")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe("a mutating Tracker method",
                        c -> c.getTargetOwner().isEquivalentTo(p2pool4j.sharechain.Tracker.class)
                                && java.util.Set.of("add", "think", "prune", "remove").contains(c.getName())))
                .check(MAIN);
    }
}
