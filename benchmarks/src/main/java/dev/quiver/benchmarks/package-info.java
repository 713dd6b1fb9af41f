/**
 * JMH benchmarks that compare each Quiver primitive with its peers in the same run.
 */
package dev.quiver.benchmarks;
