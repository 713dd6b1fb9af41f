package dev.quiver.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis Cluster of a test's own: masters started as {@code redis-server --cluster-enabled yes} processes and
 * joined with {@code redis-cli --cluster create}, no replicas. Closing it kills every node.
 */
public final class RedisClusterProcesses implements AutoCloseable {

    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcesses(List<RedisServerProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code masters} nodes, creates the cluster over them and waits until every node reports
     * {@code cluster_state:ok}.
     *
     * @param masters how many masters (at least 3, as {@code redis-cli --cluster create} requires)
     * @return the running cluster
     */
    public static RedisClusterProcesses start(int masters) {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisServerProcess.start(null, "--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf", "--cluster-node-timeout", "5000"));
            }
            RedisClusterProcesses cluster = new RedisClusterProcesses(nodes);
            cluster.create();
            cluster.awaitFormed();
            return cluster;
        }
        catch (RuntimeException ex) {
            nodes.forEach(RedisServerProcess::close);
            throw ex;
        }
    }

    /**
     * Returns the nodes, in the order they were started.
     *
     * @return the nodes
     */
    public List<RedisServerProcess> nodes() {
        return this.nodes;
    }

    /**
     * Creates and starts a Lettuce connection factory for the cluster; the caller destroys it.
     *
     * @return a started connection factory
     */
    public LettuceConnectionFactory newConnectionFactory() {
        RedisClusterConfiguration configuration = new RedisClusterConfiguration(
                this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).toList());
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
            .commandTimeout(Duration.ofSeconds(5))
            .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Kills every node.
     */
    @Override
    public void close() {
        this.nodes.forEach(RedisServerProcess::close);
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        this.nodes.forEach((node) -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(FORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run redis-cli (is it on the PATH?): " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void awaitFormed() {
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        for (RedisServerProcess node : this.nodes) {
            while (!isOk(node)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cluster did not form within " + FORM_TIMEOUT + " on " + node);
                }
                Pause.millis(50);
            }
        }
    }

    private static boolean isOk(RedisServerProcess node) {
        // CLUSTER INFO is a bulk reply; the probe returns its first line, which is cluster_state:...
        return node.command("CLUSTER", "INFO").startsWith("cluster_state:ok");
    }
}
