/**
 * What the end-to-end tests on the mock API server ({@code io.tidemark.local.e2e}), the operator
 * benchmarks and the tests on the real control plane ({@code testing/cluster-tests}) create, wait
 * for and check alike. In local's test jar (see local/pom.xml), which testing/cluster-tests uses.
 */
package io.tidemark.local.testsupport;
