package dev.sluice.jdbc;

/** The shared capabilities from two nodes on PostgreSQL. */
class PostgresTwoNodeCapabilitiesTest extends TwoNodeCapabilitiesTest {

    @Override
    TwoNodes.Server server() {
        return TwoNodes.Server.POSTGRESQL;
    }
}
