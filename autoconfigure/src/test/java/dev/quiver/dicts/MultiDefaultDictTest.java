package dev.quiver.dicts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class MultiDefaultDictTest {

    private static final int THREADS = 32;

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    private final AtomicInteger defaultCalls = new AtomicInteger();

    @AfterEach
    void stopThreads() {
        this.threads.shutdownNow();
    }

    @Test
    void aMissingKeyGetsItsDefaultWhichIsStoredAndReturned() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting(String::length));

        assertThat(dict.get("four")).isEqualTo(4);
        assertThat(dict.get("four")).isEqualTo(4);

        assertThat(this.defaultCalls).hasValue(1);
        assertThat(dict.snapshot()).containsExactly(Map.entry("four", 4));
    }

    @Test
    void aStoredValueIsReturnedWithoutCallingTheDefault() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting(String::length));

        dict.set("a", 10);
        dict.aset("b", 20).join();

        assertThat(dict.get("a")).isEqualTo(10);
        assertThat(dict.aget("b").join()).isEqualTo(20);
        assertThat(this.defaultCalls).hasValue(0);
        assertThat(dict.size()).isEqualTo(2);
    }

    @Test
    void concurrentAgetsOfOneMissingKeyShareOneAsyncDefaultCall() throws Exception {
        CompletableFuture<Integer> slowDefault = new CompletableFuture<>();
        MultiDefaultDict<String, Integer> dict = MultiDefaultDict.async(counting((key) -> slowDefault));
        CountDownLatch start = new CountDownLatch(1);

        List<Future<CompletableFuture<Integer>>> reads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            reads.add(this.threads.submit(() -> {
                start.await();
                return dict.aget("key");
            }));
        }
        start.countDown();
        List<CompletableFuture<Integer>> values = new ArrayList<>();
        for (Future<CompletableFuture<Integer>> read : reads) {
            values.add(read.get(5, TimeUnit.SECONDS));
        }

        assertThat(values).noneMatch(CompletableFuture::isDone);
        slowDefault.complete(42);
        assertThat(values).allSatisfy((value) -> assertThat(value.get(5, TimeUnit.SECONDS)).isEqualTo(42));
        assertThat(this.defaultCalls).hasValue(1);
        assertThat(dict.get("key")).isEqualTo(42);
    }

    @Test
    void concurrentGetsOfOneMissingKeyShareOneDefaultCall() throws Exception {
        CountDownLatch defaultStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting((key) -> {
            defaultStarted.countDown();
            await(release);
            return 42;
        }));
        CountDownLatch start = new CountDownLatch(1);

        List<Future<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            reads.add(this.threads.submit(() -> {
                start.await();
                return dict.get("key");
            }));
        }
        start.countDown();
        assertThat(defaultStarted.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100); // lets the other readers arrive while the default runs
        assertThat(reads).noneMatch(Future::isDone);
        release.countDown();

        for (Future<Integer> read : reads) {
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        }
        assertThat(this.defaultCalls).hasValue(1);
    }

    @Test
    void agetReturnsAnIncompleteFutureAtOnceWhileAnAsyncDefaultRuns() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        MultiDefaultDict<String, String> dict = MultiDefaultDict.async((key) -> pending);

        CompletableFuture<String> value = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> dict.aget("k"));

        assertThat(value).isNotDone();
        assertThat(dict.size()).isZero();
        pending.complete("v");
        assertThat(value.join()).isEqualTo("v");
        assertThat(dict.snapshot()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void agetRunsAPlainDefaultOffTheCallingThread() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        MultiDefaultDict<String, String> dict = new MultiDefaultDict<>((key) -> {
            ranOn.set(Thread.currentThread());
            await(release);
            return "v";
        });

        CompletableFuture<String> value = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> dict.aget("k"));

        assertThat(value).isNotDone();
        release.countDown();
        assertThat(value.join()).isEqualTo("v");
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void completingTheFutureOfOneReaderDoesNotAffectTheOthers() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        MultiDefaultDict<String, String> dict = MultiDefaultDict.async((key) -> pending);

        dict.aget("k").complete("forged");
        CompletableFuture<String> other = dict.aget("k");
        pending.complete("real");

        assertThat(other.join()).isEqualTo("real");
        assertThat(dict.get("k")).isEqualTo("real");
    }

    @Test
    void aFailedDefaultReachesEveryWaiterStoresNothingAndIsRetried() {
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        MultiDefaultDict<String, Integer> dict = MultiDefaultDict.async((key) -> {
            CompletableFuture<Integer> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        });

        CompletableFuture<Integer> first = dict.aget("k");
        CompletableFuture<Integer> second = dict.aget("k");
        calls.get(0).completeExceptionally(new IllegalStateException("backend down"));

        for (CompletableFuture<Integer> waiter : List.of(first, second)) {
            assertThat(waiter).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                .havingRootCause().isInstanceOf(IllegalStateException.class).withMessage("backend down");
        }
        assertThat(dict.size()).isZero();
        CompletableFuture<Integer> retry = dict.aget("k");
        assertThat(calls).hasSize(2);
        calls.get(1).complete(7);
        assertThat(retry.join()).isEqualTo(7);
    }

    @Test
    void getRethrowsWhatAPlainDefaultThrewAndTheNextGetRetries() {
        AtomicInteger attempts = new AtomicInteger();
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>((key) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return 1;
        });

        assertThatIllegalStateException().isThrownBy(() -> dict.get("k")).withMessage("first attempt fails");
        assertThat(dict.size()).isZero();
        assertThat(dict.get("k")).isEqualTo(1);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aDefaultThatReturnsNullFailsNamingTheKeyAndStoresNothing() {
        MultiDefaultDict<String, String> dict = new MultiDefaultDict<>((key) -> null);
        MultiDefaultDict<String, String> asyncDict = MultiDefaultDict.async(
                (key) -> CompletableFuture.completedFuture(null));

        assertThatIllegalStateException().isThrownBy(() -> dict.get("ghost"))
            .withMessageContaining("returned null for key ghost");
        assertThat(asyncDict.aget("ghost")).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
            .havingRootCause().isInstanceOf(IllegalStateException.class)
            .withMessageContaining("returned null for key ghost");
        assertThat(dict.size()).isZero();
        assertThat(asyncDict.size()).isZero();
    }

    @Test
    void aDefaultThatReadsItsOwnKeyFailsInsteadOfWaitingForItself() {
        AtomicReference<MultiDefaultDict<String, String>> self = new AtomicReference<>();
        MultiDefaultDict<String, String> dict = new MultiDefaultDict<>((key) -> self.get().get(key) + "!");
        self.set(dict);

        assertThatIllegalStateException()
            .isThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> dict.get("loop")))
            .withMessageContaining("key loop");
        assertThat(dict.size()).isZero();
    }

    @Test
    void aValueSetWhileTheDefaultRunsIsNotOverwrittenByIt() {
        CompletableFuture<Integer> pending = new CompletableFuture<>();
        MultiDefaultDict<String, Integer> dict = MultiDefaultDict.async((key) -> pending);

        CompletableFuture<Integer> read = dict.aget("k");
        dict.set("k", 5);
        pending.complete(1);

        assertThat(read.join()).isEqualTo(5);
        assertThat(dict.get("k")).isEqualTo(5);
    }

    @Test
    void aReadAfterAValueSetDuringTheDefaultWasRemovedWaitsForThatDefault() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting((key) -> {
            started.countDown();
            await(release);
            return 1;
        }));
        Future<Integer> first = this.threads.submit(() -> dict.get("k"));
        await(started);
        dict.set("k", 5);
        assertThat(dict.remove("k")).isTrue();

        AtomicReference<Thread> secondThread = new AtomicReference<>();
        Future<Integer> second = this.threads.submit(() -> {
            secondThread.set(Thread.currentThread());
            return dict.get("k");
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.isDone()
                || this.defaultCalls.get() > 1
                || (secondThread.get() != null && secondThread.get().getState() == Thread.State.WAITING));
        CompletableFuture<Integer> third = dict.aget("k");
        assertThat(this.defaultCalls).as("default calls while the first one runs").hasValue(1);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(this.defaultCalls).hasValue(1);
        assertThat(dict.get("k")).as("with the set value removed, the default's value is stored").isEqualTo(1);
    }

    @Test
    void mgetReturnsValuesInKeyOrderComputingEachMissingKeyOnce() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting(String::length));
        dict.set("b", 100);

        assertThat(dict.mget(List.of("ccc", "b", "dddd", "ccc"))).containsExactly(3, 100, 4, 3);
        assertThat(this.defaultCalls).hasValue(2);
        assertThat(dict.snapshot()).containsOnly(Map.entry("b", 100), Map.entry("ccc", 3), Map.entry("dddd", 4));
    }

    @Test
    void mgetWithAsyncDefaultsComputesARepeatedMissingKeyOnce() {
        MultiDefaultDict<String, Integer> dict = MultiDefaultDict.async(
                counting((key) -> CompletableFuture.supplyAsync(key::length)));

        assertThat(dict.mget(List.of("aa", "b", "aa"))).containsExactly(2, 1, 2);
        assertThat(this.defaultCalls).hasValue(2);
    }

    @Test
    void mgetRefusesANullKeyBeforeReadingAny() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting(String::length));

        assertThatNullPointerException().isThrownBy(() -> dict.mget(Arrays.asList("a", null)))
            .withMessage("keys[1] must not be null");
        assertThat(this.defaultCalls).hasValue(0);
    }

    @Test
    void msetWritesEveryEntry() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String::length);
        Map<String, Integer> entries = new LinkedHashMap<>();
        entries.put("a", 1);
        entries.put("b", 2);

        dict.mset(entries);

        assertThat(dict.snapshot()).isEqualTo(entries);
    }

    @Test
    void msetWithANullValueWritesNothing() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String::length);
        Map<String, Integer> entries = new LinkedHashMap<>();
        entries.put("a", 1);
        entries.put("b", null);

        assertThatNullPointerException().isThrownBy(() -> dict.mset(entries)).withMessageContaining("key b");
        assertThat(dict.size()).isZero();
    }

    @Test
    void fgetAndFsetDescribeOpsWithTheKeyAndValueThemselves() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String::length);

        assertThat(dict.fget("a")).isEqualTo(DictOp.get("a"));
        assertThat(dict.fset("a", 1).args()).containsExactly("a", 1);
        assertThat(dict.size()).isZero();
    }

    @Test
    void executeRunsTheOpsInOrderAsOneBatch() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(counting(String::length));

        List<Object> results = dict.execute(List.of(dict.fset("a", 1), dict.fget("a"), dict.fget("bbb"),
                dict.fset("bbb", 5), dict.fget("bbb")));

        assertThat(results).containsExactly(Boolean.TRUE, 1, 3, Boolean.TRUE, 5);
        assertThat(this.defaultCalls).hasValue(1);
    }

    @Test
    void executeChecksEveryOpBeforeRunningAny() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String.class, Integer.class,
                counting(String::length));

        assertThatIllegalArgumentException()
            .isThrownBy(() -> dict.execute(List.of(dict.fset("a", 1), dict.fget("b"), DictOp.get(42))))
            .withMessageContaining("ops[2] key must be a java.lang.String, but was a java.lang.Integer");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> dict.execute(List.of(dict.fset("a", 1), DictOp.set("b", "not a number"))))
            .withMessageContaining("ops[1] value must be a java.lang.Integer");
        assertThatNullPointerException().isThrownBy(() -> dict.execute(Arrays.asList(dict.fset("a", 1), null)))
            .withMessage("ops[1] must not be null");
        assertThat(dict.size()).isZero();
        assertThat(this.defaultCalls).hasValue(0);
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String::length);

        assertThatNullPointerException().isThrownBy(() -> dict.get(null)).withMessage("key must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.aget(null)).withMessage("key must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.set(null, 1)).withMessage("key must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.set("a", null)).withMessage("value must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.aset("a", null))
            .withMessage("value must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.fget(null)).withMessage("key must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.fset("a", null))
            .withMessage("value must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.remove(null)).withMessage("key must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.mget(null)).withMessage("keys must not be null");
        assertThatNullPointerException().isThrownBy(() -> dict.mset(null)).withMessage("entries must not be null");
        assertThatNullPointerException().isThrownBy(() -> new MultiDefaultDict<String, Integer>(null))
            .withMessage("defaults must not be null");
        assertThatNullPointerException().isThrownBy(() -> MultiDefaultDict.async(null))
            .withMessage("defaults must not be null");
        assertThat(dict.size()).isZero();
    }

    @Test
    void removeSaysWhetherAValueWasStored() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String::length);
        dict.set("a", 1);

        assertThat(dict.remove("a")).isTrue();
        assertThat(dict.remove("a")).isFalse();
        assertThat(dict.size()).isZero();
    }

    @Test
    void theObserverCountsHitsDefaultsAndSets() {
        MultiDefaultDict<String, Integer> dict = new MultiDefaultDict<>(String::length);
        AtomicInteger hits = new AtomicInteger();
        AtomicInteger defaults = new AtomicInteger();
        AtomicInteger sets = new AtomicInteger();
        dict.setObserver(new DictObserver() {

            @Override
            public void recordHits(int count) {
                hits.addAndGet(count);
            }

            @Override
            public void recordDefaults(int count) {
                defaults.addAndGet(count);
            }

            @Override
            public void recordSets(int count) {
                sets.addAndGet(count);
            }
        });

        dict.get("a");
        dict.get("a");
        dict.mset(Map.of("b", 2, "c", 3));
        dict.mget(List.of("b", "dd"));

        assertThat(hits).hasValue(2);
        assertThat(defaults).hasValue(2);
        assertThat(sets).hasValue(2);
    }

    private <K, R> Function<K, R> counting(Function<K, R> function) {
        return (key) -> {
            this.defaultCalls.incrementAndGet();
            return function.apply(key);
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
