package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.SourceContract;
import org.upshot.testkit.SourceScenario;

/**
 * Every source in the distribution keeps the source contract ({@link SourceContract}) in
 * the booted daemon, driven by the {@link SourceScenario} its module's test-jar provides.
 */
class SourceContractIT {
    @TempDir
    Path work;

    private final List<SourceContract> contracts = new ArrayList<>();

    // Bounds building the checks; each check bounds itself (a factory's timeout does not
    // reach its dynamic tests).
    @TestFactory
    @Timeout(30)
    Stream<DynamicContainer> everySourceKeepsTheContract() {
        List<SourceScenario> scenarios = SourceContract.scenarios();
        assertFalse(scenarios.isEmpty(), "no SourceScenario on the test class path");
        return scenarios.stream().map(scenario -> {
            SourceContract contract = new SourceContract(scenario, work.resolve(scenario.plugin()));
            contracts.add(contract);
            return contract.checks();
        });
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        for (SourceContract contract : contracts) {
            contract.close();
        }
    }
}
