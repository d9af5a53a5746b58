/*
 * Copyright 2026 The flink-local-recovery authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.flinklocalrecovery.e2e.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direction of the modules' dependencies, checked on the main classes of every module this one
 * sees (the shipped jars and the test support): what is shipped never depends on test support, core
 * never on a backend module, the two backend modules never on each other, and the packages of core
 * have no cycle.
 */
class ModuleDependencyTest {

    private static final String CORE = "io.flinklocalrecovery.core..";
    private static final String FS = "io.flinklocalrecovery.fs..";
    private static final String ROCKSDB = "io.flinklocalrecovery.rocksdb..";
    private static final String[] SHIPPED = {CORE, FS, ROCKSDB};
    private static final String[] TEST_SUPPORT = {
        "io.flinklocalrecovery.testutils..",
        "io.flinklocalrecovery.e2e..",
        "io.flinklocalrecovery.demo..",
        "io.flinklocalrecovery.benchmarks..",
        "org.junit..",
        "org.assertj..",
        "org.mockito.."
    };

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.flinklocalrecovery");
    }

    @Test
    void allModulesAreImported() {
        // a rule over no classes passes whatever the code does: make sure each module is seen
        for (String module : new String[] {"core", "fs", "rocksdb", "testutils"}) {
            assertThat(mainClasses.containPackage("io.flinklocalrecovery." + module))
                    .as("main classes of %s imported", module)
                    .isTrue();
        }
    }

    @Test
    void shippedModulesNeverDependOnTestSupport() {
        check(
                noClasses()
                        .that()
                        .resideInAnyPackage(SHIPPED)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(TEST_SUPPORT)
                        .because("the jars in Flink's lib/ carry no test support"));
    }

    @Test
    void coreNeverDependsOnABackendModule() {
        check(
                noClasses()
                        .that()
                        .resideInAPackage(CORE)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(FS, ROCKSDB)
                        .because("each backend module builds on core, never the reverse"));
    }

    @Test
    void theBackendModulesAreIndependent() {
        check(
                noClasses()
                        .that()
                        .resideInAPackage(FS)
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(ROCKSDB));
        check(
                noClasses()
                        .that()
                        .resideInAPackage(ROCKSDB)
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(FS));
    }

    @Test
    void corePackagesHaveNoCycle() {
        check(slices().matching("io.flinklocalrecovery.core.(*)..").should().beFreeOfCycles());
    }

    @Test
    void testSupportNeverDependsOnTheTestsOrTheDemo() {
        check(
                noClasses()
                        .that()
                        .resideInAPackage("io.flinklocalrecovery.testutils..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                "io.flinklocalrecovery.e2e..",
                                "io.flinklocalrecovery.demo..",
                                "io.flinklocalrecovery.benchmarks.."));
    }

    private static void check(ArchRule rule) {
        rule.check(mainClasses);
    }
}
