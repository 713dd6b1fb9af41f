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
     * Returns the master that serves a key's slot now.
     *
     * @param key the key
     * @return the node that answers for the key rather than redirecting
     */
    public RedisServerProcess owner(String key) {
        for (RedisServerProcess node : this.nodes) {
            // the owner answers; every other node redirects with -MOVED (or -ASK while the slot moves)
            if (!node.command("EXISTS", key).startsWith("-")) {
                return node;
            }
        }
        throw new IllegalStateException("No node serves the slot of " + key);
    }

    /**
     * Moves the slot of a key, with every key in it, from its owner to {@code target}, as a reshard does: the slot is
     * marked importing and migrating, its keys are sent with {@code MIGRATE}, and then every node is told the new
     * owner. The former owner then drops its sharded subscriptions to the slot's channels.
     *
     * @param key a key of the slot to move
     * @param target the node that serves the slot afterwards
     */
    public void migrateSlot(String key, RedisServerProcess target) {
        RedisServerProcess source = owner(key);
        if (source == target) {
            throw new IllegalArgumentException("The slot of " + key + " is served by " + target + " already");
        }
        String slot = reply(source.command("CLUSTER", "KEYSLOT", key));
        String sourceId = source.command("CLUSTER", "MYID");
        String targetId = target.command("CLUSTER", "MYID");
        expectOk(target.command("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId));
        expectOk(source.command("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId));
        List<String> keys = source.array("CLUSTER", "GETKEYSINSLOT", slot, "100");
        while (!keys.isEmpty()) {
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(target.port()), "",
                    "0", "5000", "KEYS"));
            migrate.addAll(keys);
            expectOk(source.command(migrate.toArray(String[]::new)));
            keys = source.array("CLUSTER", "GETKEYSINSLOT", slot, "100");
        }
        // the new owner first, then the old one, so that no node redirects to a node that refuses the slot
        expectOk(target.command("CLUSTER", "SETSLOT", slot, "NODE", targetId));
        expectOk(source.command("CLUSTER", "SETSLOT", slot, "NODE", targetId));
        for (RedisServerProcess node : this.nodes) {
            if (node != source && node != target) {
                expectOk(node.command("CLUSTER", "SETSLOT", slot, "NODE", targetId));
            }
        }
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

    private static String reply(String integer) {
        if (!integer.startsWith(":")) {
            throw new IllegalStateException("Expected an integer reply, got " + integer);
        }
        return integer.substring(1);
    }

    private static void expectOk(String reply) {
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("Expected OK, got " + reply);
        }
    }

    private static boolean isOk(RedisServerProcess node) {
        // CLUSTER INFO is a bulk reply; the probe returns its first line, which is cluster_state:...
        return node.command("CLUSTER", "INFO").startsWith("cluster_state:ok");
    }
}
