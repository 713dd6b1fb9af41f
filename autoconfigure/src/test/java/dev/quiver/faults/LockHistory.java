package dev.quiver.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of lock holders did, and the checks of it: every hold (who, its fencing token, when it began and ended,
 * when its {@code lost()} fired, whether the fenced resource took its write), every wait for the lock, and the windows
 * in which Redis lost its data. Thread-safe.
 */
final class LockHistory {

    /** One hold; {@code lostNanos} is {@link Long#MAX_VALUE} if {@code lost()} never fired during it. */
    record Hold(int process, long token, long startNanos, long endNanos, long lostNanos, boolean writeAccepted) {
    }

    /** One wait for the lock, until it was acquired or given up. */
    record Wait(int process, long nanos, boolean acquired) {
    }

    private final List<Hold> holds = new ArrayList<>();

    private final List<Wait> waits = new ArrayList<>();

    private final List<long[]> dataLost = new ArrayList<>();

    private long highestWritten;

    private long calmFromNanos = Long.MIN_VALUE;

    synchronized void hold(Hold hold) {
        this.holds.add(hold);
    }

    synchronized void waited(Wait wait) {
        this.waits.add(wait);
    }

    /** Redis lost its data (a restart without persistence) between these two instants. */
    synchronized void dataLost(long fromNanos, long toNanos) {
        this.dataLost.add(new long[] { fromNanos, toNanos });
    }

    /**
     * Faults stop here: shares of the lock are compared over the holds that began from then on, when every client
     * can ask for the lock as often as every other (while a client's connection is down, the others legitimately get
     * more).
     */
    synchronized void calmFrom(long nanos) {
        this.calmFromNanos = nanos;
    }

    /**
     * The fenced resource: takes a write only if its token is at least the highest it has taken.
     *
     * @return whether the write was taken
     */
    synchronized boolean write(long token) {
        if (token < this.highestWritten) {
            return false;
        }
        this.highestWritten = token;
        return true;
    }

    synchronized int holds() {
        return this.holds.size();
    }

    /** Acquisitions by process, counted over the calm part of the run. */
    synchronized Map<Integer, Integer> acquisitionsByProcess() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Hold hold : this.holds) {
            if (hold.startNanos() >= this.calmFromNanos) {
                counts.merge(hold.process(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * Checks the history: no two holds overlap unless the earlier one's {@code lost()} fired before the later one
     * began (or Redis lost its data in between, which no Redis lock survives: fencing must catch that); the fenced
     * resource refused no write but across such a loss; no wait lasted past the blocking timeout (give or take
     * {@code slack}); and under equal demand (the calm part of the run) no process got less than its share: the most
     * acquisitions of a process are at most 1.5 times the fewest.
     *
     * @throws AssertionError naming the first violation found
     */
    synchronized void check(Duration blockingTimeout, Duration slack, int processes) {
        List<Hold> byStart = new ArrayList<>(this.holds);
        byStart.sort(Comparator.comparingLong(Hold::startNanos));
        for (int i = 0; i < byStart.size(); i++) {
            Hold earlier = byStart.get(i);
            for (int j = i + 1; j < byStart.size() && byStart.get(j).startNanos() < earlier.endNanos(); j++) {
                Hold later = byStart.get(j);
                if (earlier.lostNanos() <= later.startNanos() || dataLostBetween(earlier.startNanos(),
                        later.startNanos())) {
                    continue;
                }
                throw new AssertionError("holds overlap: " + earlier + " and " + later + " (" + this.holds.size()
                        + " holds)");
            }
        }
        for (Hold hold : byStart) {
            if (!hold.writeAccepted() && !dataLostBetween(hold.startNanos(), hold.endNanos())) {
                throw new AssertionError("a fenced write went backwards: " + hold + " was refused");
            }
        }
        long bound = blockingTimeout.plus(slack).toNanos();
        for (Wait wait : this.waits) {
            if (wait.nanos() > bound) {
                throw new AssertionError("a wait lasted " + Duration.ofNanos(wait.nanos()) + ", past the blocking "
                        + "timeout " + blockingTimeout + ": " + wait);
            }
        }
        Map<Integer, Integer> shares = acquisitionsByProcess();
        if (shares.size() < processes) {
            throw new AssertionError("a process never got the lock: " + shares);
        }
        int most = shares.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int fewest = shares.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        if (most > 1.5 * fewest) {
            throw new AssertionError("a process was starved: acquisitions by process " + shares);
        }
    }

    private boolean dataLostBetween(long fromNanos, long toNanos) {
        for (long[] window : this.dataLost) {
            if (window[0] < toNanos && window[1] > fromNanos) {
                return true;
            }
        }
        return false;
    }
}
