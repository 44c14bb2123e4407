package dev.sluice.jdbc;

import java.util.List;

/** The fan-in race on H2 in memory: two pools on one database, as two stores in one JVM. */
class H2FanInRaceTest extends FanInRaceTest {

    @Override
    JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose) {
        TwoNodes nodes = TwoNodes.open(TwoNodes.Server.H2, "race", null);
        toClose.add(nodes);
        return nodes.stores();
    }
}
