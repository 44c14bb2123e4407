package dev.sluice.jdbc;

/** The shared capabilities from two nodes on H2 in memory. */
class H2TwoNodeCapabilitiesTest extends TwoNodeCapabilitiesTest {

    @Override
    TwoNodes.Server server() {
        return TwoNodes.Server.H2;
    }
}
