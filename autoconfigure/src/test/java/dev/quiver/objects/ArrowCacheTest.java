package dev.quiver.objects;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiver.testsupport.Pause;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArrowCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ExecutorService threads = Executors.newFixedThreadPool(32);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private ArrowCache<String, Object> cacheWith(Duration expiration, int maxEntries) {
        return ArrowCache.builder().expiration(expiration).maxEntries(maxEntries).ticker(nanos::get).build();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    /** Runs {@code task} on {@code count} threads released together, and returns what each returned or threw. */
    private <T> List<Future<T>> runTogether(int count, Callable<T> task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        ready.await();
        go.countDown();
        return results;
    }

    @Nested
    class Defaults {

        @Test
        void aCacheBuiltWithoutSettingsExpiresAfterThreeHoursAndHoldsTwoThousandEntries() {
            ArrowCache<String, String> cache = new ArrowCache<>();

            assertThat(cache.expiration()).isEqualTo(Duration.ofHours(3));
            assertThat(cache.maxEntries()).isEqualTo(2000);
            assertThat(cache.name()).isEqualTo("arrow-cache");
        }

        @Test
        void theBuilderAppliesEverySetting() {
            ArrowCache<String, String> cache = ArrowCache.builder().name("quotes").expiration(Duration.ofMinutes(10))
                    .maxEntries(5000).build();

            assertThat(cache.name()).isEqualTo("quotes");
            assertThat(cache.expiration()).isEqualTo(Duration.ofMinutes(10));
            assertThat(cache.maxEntries()).isEqualTo(5000);
        }

        @Test
        void getReturnsTheVeryObjectThatWasSetSoChangesToItAreSeenByLaterReaders() {
            ArrowCache<String, List<String>> cache = new ArrowCache<>();
            List<String> names = new ArrayList<>(List.of("ada"));

            cache.set("names", names);
            names.add("grace");

            assertThat(cache.get("names")).isSameAs(names).containsExactly("ada", "grace");
        }

        @Test
        void removeAndClearDropEntries() {
            ArrowCache<String, String> cache = new ArrowCache<>();
            cache.set("a", "1");
            cache.set("b", "2");
            cache.set("c", "3");

            assertThat(cache.remove("a")).isTrue();
            assertThat(cache.remove("a")).isFalse();
            assertThat(cache.get("a")).isNull();
            assertThat(cache.size()).isEqualTo(2);

            cache.clear();

            assertThat(cache.size()).isZero();
            assertThat(cache.get("b")).isNull();
        }
    }

    @Nested
    class Expiry {

        @Test
        void anEntryLivesForTheCacheExpirationAfterItIsWritten() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofMinutes(10), 100);
            cache.set("k", "v");

            advance(Duration.ofMinutes(10).minusNanos(1));
            assertThat(cache.get("k")).isEqualTo("v");

            advance(Duration.ofNanos(1));
            assertThat(cache.get("k")).isNull();
            assertThat(cache.size()).isZero();
        }

        @Test
        void writingAgainRestartsTheEntrysLifetimeButReadingDoesNot() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofMinutes(10), 100);
            cache.set("written", "v1");
            cache.set("read", "v1");

            advance(Duration.ofMinutes(6));
            cache.set("written", "v2");
            assertThat(cache.get("read")).isEqualTo("v1");

            advance(Duration.ofMinutes(6));
            assertThat(cache.get("written")).isEqualTo("v2");
            assertThat(cache.get("read")).isNull();
        }

        @Test
        void anEntrySetWithItsOwnExpirationExpiresOnItsOwnSchedule() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofMinutes(10), 100);
            cache.set("short", "s", Duration.ofSeconds(30));
            cache.set("long", "l", Duration.ofHours(1));
            cache.set("default", "d");

            advance(Duration.ofSeconds(30));
            assertThat(cache.get("short")).isNull();
            assertThat(cache.get("default")).isEqualTo("d");

            advance(Duration.ofMinutes(10));
            assertThat(cache.get("default")).isNull();
            assertThat(cache.get("long")).isEqualTo("l");

            advance(Duration.ofHours(1));
            assertThat(cache.get("long")).isNull();
        }

        @Test
        void anExpiredEntryIsLoadedAgain() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofMinutes(1), 100);
            AtomicInteger calls = new AtomicInteger();
            Function<String, Object> loader = key -> key + calls.incrementAndGet();

            assertThat(cache.get("k", loader)).isEqualTo("k1");
            assertThat(cache.get("k", loader)).isEqualTo("k1");
            advance(Duration.ofMinutes(1));

            assertThat(cache.get("k", loader)).isEqualTo("k2");
            assertThat(cache.aget("k", key -> CompletableFuture.completedFuture("async")).join()).isEqualTo("k2");
            advance(Duration.ofMinutes(1));
            assertThat(cache.aget("k", key -> CompletableFuture.completedFuture("async")).join()).isEqualTo("async");
        }

        @Test
        void expiredEntriesAreCulledBeforeLiveOnes() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofMinutes(10), 3);
            cache.set("stale", "s", Duration.ofSeconds(1));
            cache.set("a", "a");
            cache.set("b", "b");
            advance(Duration.ofSeconds(1));

            cache.set("c", "c");

            assertThat(cache.get("a")).isEqualTo("a");
            assertThat(cache.get("b")).isEqualTo("b");
            assertThat(cache.get("c")).isEqualTo("c");
            assertThat(cache.stats().evictions()).isEqualTo(1);
        }
    }

    @Nested
    class SizeBound {

        @Test
        void afterHeavyConcurrentInsertsTheCacheHoldsExactlyMaxEntriesAndCulledEveryOneBeyond() throws Exception {
            int maxEntries = 2000;
            int threadCount = 8;
            int keysPerThread = 50_000;
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), maxEntries);

            List<Future<Object>> inserts = runTogether(threadCount, () -> {
                String prefix = Thread.currentThread().getName() + "-";
                for (int i = 0; i < keysPerThread; i++) {
                    cache.set(prefix + i, i);
                }
                return null;
            });
            for (Future<Object> insert : inserts) {
                insert.get();
            }

            long inserted = (long) threadCount * keysPerThread;
            assertThat(cache.size()).isEqualTo(maxEntries);
            assertThat(cache.stats().puts()).isEqualTo(inserted);
            assertThat(cache.stats().evictions()).isEqualTo(inserted - maxEntries);
        }

        @Test
        void racingSetsLoadsRemovesAndClearsLeaveEveryResidentEntryCullable() throws Exception {
            int maxEntries = 32;
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), maxEntries);

            List<Future<Object>> writers = runTogether(8, () -> {
                SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
                for (int i = 0; i < 20_000; i++) {
                    String key = "k" + random.nextInt(64);
                    int kind = random.nextInt(100);
                    if (kind < 40) {
                        cache.set(key, i);
                    } else if (kind < 70) {
                        cache.get(key, (missing) -> missing);
                    } else if (kind < 90) {
                        cache.remove(key);
                    } else if (kind < 99) {
                        cache.get(key);
                    } else {
                        cache.clear();
                    }
                }
                return null;
            });
            for (Future<Object> writer : writers) {
                writer.get();
            }
            assertThat(cache.size()).isLessThanOrEqualTo(maxEntries);

            // a resident entry the cull policy lost track of would never be culled and keep the cache over its bound
            for (int i = 0; i < 4 * maxEntries; i++) {
                cache.set("fresh-" + i, i);
            }
            assertThat(cache.size()).isEqualTo(maxEntries);

            // one it still counted after it left would make room too early
            cache.clear();
            long evictionsBefore = cache.stats().evictions();
            for (int i = 0; i < maxEntries; i++) {
                cache.set("after-clear-" + i, i);
            }
            assertThat(cache.size()).isEqualTo(maxEntries);
            assertThat(cache.stats().evictions()).isEqualTo(evictionsBefore);
        }

        @Test
        void frequentlyReadEntriesSurviveAFloodOfNewKeys() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            cache.set("hot", "h");

            for (int i = 0; i < 10_000; i++) {
                cache.set("cold-" + i, i);
                assertThat(cache.get("hot")).as("after %d cold keys", i + 1).isEqualTo("h");
            }

            assertThat(cache.size()).isEqualTo(100);
        }

        @Test
        void aCacheOfOneEntryKeepsTheLatest() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 1);

            cache.set("a", "a");
            cache.set("b", "b");

            assertThat(cache.get("b")).isEqualTo("b");
            assertThat(cache.get("a")).isNull();
            assertThat(cache.size()).isEqualTo(1);
        }
    }

    @Nested
    class Loading {

        /** An async loader that counts its calls and answers every one with {@code load}. */
        private Function<String, CompletableFuture<Object>> countingCalls(AtomicInteger calls,
                CompletableFuture<Object> load) {
            return key -> {
                calls.incrementAndGet();
                return load;
            };
        }

        @Test
        void thirtyTwoThreadsMissingOneKeyShareASingleLoaderCall() throws Exception {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();
            Function<String, Object> slowLoader = key -> {
                calls.incrementAndGet();
                Pause.of(Duration.ofMillis(300));
                return new Object();
            };

            List<Future<Object>> results = runTogether(32, () -> cache.get("k", slowLoader));

            Object first = results.get(0).get();
            for (Future<Object> result : results) {
                assertThat(result.get()).isSameAs(first);
            }
            assertThat(calls.get()).isEqualTo(1);
            assertThat(cache.stats().loads()).isEqualTo(1);
            assertThat(cache.get("k")).isSameAs(first);
        }

        @Test
        void thirtyTwoThreadsMissingOneKeyAsynchronouslyShareASingleInFlightLoad() throws Exception {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<Object> load = new CompletableFuture<>();
            Function<String, CompletableFuture<Object>> loader = countingCalls(calls, load);

            List<Future<CompletableFuture<Object>>> calling = runTogether(32, () -> cache.aget("k", loader));
            List<CompletableFuture<Object>> results = new ArrayList<>();
            for (Future<CompletableFuture<Object>> call : calling) {
                results.add(call.get());
            }
            // every call returned before the load finished: none blocked its thread
            assertThat(results).allSatisfy(result -> assertThat(result).isNotDone());

            Object value = new Object();
            load.complete(value);

            assertThat(results).allSatisfy(result -> assertThat(result.join()).isSameAs(value));
            assertThat(calls.get()).isEqualTo(1);
            assertThat(cache.get("k")).isSameAs(value);
        }

        @Test
        void aFailedSyncLoadReachesEveryWaiterAndIsNotCached() throws Exception {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();
            IllegalStateException failure = new IllegalStateException("backend down");
            Function<String, Object> failingLoader = key -> {
                calls.incrementAndGet();
                Pause.of(Duration.ofMillis(300));
                throw failure;
            };

            List<Future<Object>> results = runTogether(8, () -> {
                try {
                    return cache.get("k", failingLoader);
                } catch (IllegalStateException thrown) {
                    return thrown;
                }
            });

            for (Future<Object> result : results) {
                assertThat(result.get()).isSameAs(failure);
            }
            assertThat(calls.get()).isEqualTo(1);
            assertThat(cache.get("k")).isNull();
            assertThat(cache.get("k", key -> "recovered")).isEqualTo("recovered");
        }

        @Test
        void aFailedAsyncLoadIsNotCachedAndTheNextCallLoadsAgain() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();

            CompletableFuture<Object> failed = cache.aget("k", key -> {
                calls.incrementAndGet();
                return CompletableFuture.failedFuture(new IllegalStateException("backend down"));
            });
            assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("backend down");

            CompletableFuture<Object> thrown = cache.aget("k", key -> {
                calls.incrementAndGet();
                throw new IllegalArgumentException("bad key");
            });
            assertThatThrownBy(thrown::join).hasRootCauseInstanceOf(IllegalArgumentException.class);
            assertThat(cache.get("k")).isNull();

            Object value = cache.aget("k", key -> {
                calls.incrementAndGet();
                return CompletableFuture.supplyAsync(() -> "loaded");
            }).join();

            assertThat(value).isEqualTo("loaded");
            assertThat(calls.get()).isEqualTo(3);
            assertThat(cache.get("k")).isEqualTo("loaded");
        }

        @Test
        void theAsyncLoaderIsNotCalledOnAHit() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();
            cache.set("k", "cached");

            CompletableFuture<Object> result = cache.aget("k", key -> {
                calls.incrementAndGet();
                return CompletableFuture.completedFuture("loaded");
            });

            assertThat(result).isCompletedWithValue("cached");
            assertThat(calls.get()).isZero();
        }

        @Test
        void aNullLoadResultIsReturnedButNotStored() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();

            assertThat(cache.get("k", key -> {
                calls.incrementAndGet();
                return null;
            })).isNull();
            assertThat(cache.aget("k", key -> {
                calls.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }).join()).isNull();

            assertThat(calls.get()).isEqualTo(2);
            assertThat(cache.size()).isZero();
            assertThat(cache.stats().puts()).isZero();
        }

        @Test
        void agetWithoutALoaderFollowsALoadInFlight() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            CompletableFuture<Object> load = new CompletableFuture<>();
            cache.aget("k", key -> load);

            CompletableFuture<Object> following = cache.aget("k");
            assertThat(following).isNotDone();
            load.complete("v");

            assertThat(following.join()).isEqualTo("v");
            assertThat(cache.aget("absent").join()).isNull();
        }

        @Test
        void cancellingOneCallersFutureLeavesTheSharedLoadRunning() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            CompletableFuture<Object> load = new CompletableFuture<>();
            CompletableFuture<Object> impatient = cache.aget("k", key -> load);
            CompletableFuture<Object> patient = cache.aget("k", key -> load);

            impatient.cancel(true);
            load.complete("v");

            assertThat(patient.join()).isEqualTo("v");
            assertThat(cache.get("k")).isEqualTo("v");
        }

        @Test
        void aValueSetWhileALoadRunsWinsOverTheLoadedValue() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            CompletableFuture<Object> load = new CompletableFuture<>();
            CompletableFuture<Object> loading = cache.aget("k", key -> load);

            cache.set("k", "set");
            load.complete("loaded");

            assertThat(loading.join()).isEqualTo("loaded");
            assertThat(cache.get("k")).isEqualTo("set");
        }

        @Test
        void removeAndClearLeaveALoadInFlightSharedAndItsValueIsStoredWhenItFinishes() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<Object> load = new CompletableFuture<>();
            Function<String, CompletableFuture<Object>> loader = countingCalls(calls, load);
            CompletableFuture<Object> first = cache.aget("k", loader);
            cache.set("other", "o");

            assertThat(cache.remove("k")).as("remove finds no value to remove").isFalse();
            cache.clear();
            assertThat(cache.get("other")).isNull();
            CompletableFuture<Object> second = cache.aget("k", loader);
            assertThat(cache.size()).as("the load in flight counts as one entry").isEqualTo(1);
            load.complete("v");

            assertThat(first.join()).isEqualTo("v");
            assertThat(second.join()).isEqualTo("v");
            assertThat(calls.get()).as("the second call joined the first load").isEqualTo(1);
            assertThat(cache.get("k")).isEqualTo("v");
        }

        @Test
        void theCullNeverTakesALoadInFlightAndTheLoadedValueComesInAsANewEntry() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 2);
            CompletableFuture<Object> load = new CompletableFuture<>();
            CompletableFuture<Object> loading = cache.aget("loading", key -> load);

            for (int i = 0; i < 10; i++) {
                cache.set("flood-" + i, i);
            }
            assertThat(cache.aget("loading")).as("still in flight after the flood").isNotDone();
            load.complete("v");

            assertThat(loading.join()).isEqualTo("v");
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.get("loading")).isEqualTo("v");
            assertThat(cache.stats().evictions()).isEqualTo(9);
        }

        @Test
        void aLoaderThatLoadsItsOwnKeyIsRefused() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);

            assertThatIllegalStateException().isThrownBy(() -> cache.get("k", key -> cache.get(key, again -> "x")))
                    .withMessageContaining("loaded that same key");
            assertThat(cache.get("k", key -> "fine")).isEqualTo("fine");
        }
    }

    @Nested
    class Statistics {

        @Test
        void everyKindOfEventIsCountedExactly() {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofMinutes(1), 2);

            cache.set("a", "a");                       // put
            cache.set("b", "b");                       // put
            cache.get("a");                            // hit
            cache.get("a", key -> "unused");           // hit
            cache.get("absent");                       // miss
            cache.get("c", key -> "c");                // miss, load, put, eviction (bound of 2)
            cache.get("d", key -> null);               // miss, load (nothing stored)
            cache.aget("c").join();                    // hit
            advance(Duration.ofMinutes(1));
            cache.get("c");                            // miss, eviction (expired)
            cache.remove("a");                         // neither
            cache.set("e", "e", Duration.ofHours(1));  // put

            assertThat(cache.stats()).isEqualTo(new ArrowCache.Stats(3, 4, 2, 2, 4));
            assertThat(cache.stats().hitRate()).isEqualTo(3.0 / 7);
        }

        @Test
        void aCacheBuiltWithoutStatisticsReportsZerosButWorksTheSame() {
            ArrowCache<String, Object> cache = ArrowCache.builder().recordStats(false).maxEntries(1).build();

            cache.set("a", "a");
            assertThat(cache.get("a")).isEqualTo("a");
            assertThat(cache.get("b", key -> "b")).isEqualTo("b");
            assertThat(cache.get("a")).isNull();

            assertThat(cache.stats()).isEqualTo(new ArrowCache.Stats(0, 0, 0, 0, 0));
        }

        @Test
        void hitsCountedFromManyThreadsAddUpExactly() throws Exception {
            ArrowCache<String, Object> cache = cacheWith(Duration.ofHours(1), 100);
            cache.set("k", "v");
            int readsPerThread = 100_000;

            List<Future<Object>> readers = runTogether(32, () -> {
                for (int i = 0; i < readsPerThread; i++) {
                    cache.get("k");
                }
                return null;
            });
            for (Future<Object> reader : readers) {
                reader.get();
            }

            assertThat(cache.stats().hits()).isEqualTo(32L * readsPerThread);
        }
    }

    @Nested
    class Validation {

        private final ArrowCache<String, Object> cache = new ArrowCache<>();

        @Test
        void nullKeysAreRefusedWithAMessageNamingTheKey() {
            assertThatNullPointerException().isThrownBy(() -> cache.get(null)).withMessage("key must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.get(null, key -> "v"))
                    .withMessage("key must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.aget(null)).withMessage("key must not be null");
            assertThatNullPointerException()
                    .isThrownBy(() -> cache.aget(null, key -> CompletableFuture.completedFuture("v")))
                    .withMessage("key must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.set(null, "v"))
                    .withMessage("key must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.remove(null)).withMessage("key must not be null");
        }

        @Test
        void nullValuesLoadersAndExpirationsAreRefusedWithAMessageNamingThem() {
            assertThatNullPointerException().isThrownBy(() -> cache.set("k", null))
                    .withMessage("value must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.set("k", null, Duration.ofMinutes(1)))
                    .withMessage("value must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.set("k", "v", null))
                    .withMessage("expiration must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.get("k", null))
                    .withMessage("loader must not be null");
            assertThatNullPointerException().isThrownBy(() -> cache.aget("k", null))
                    .withMessage("loader must not be null");
            assertThat(cache.size()).isZero();
        }

        @Test
        void aPerEntryExpirationMustBePositive() {
            assertThatIllegalArgumentException().isThrownBy(() -> cache.set("k", "v", Duration.ZERO))
                    .withMessage("expiration must be positive but was PT0S");
            assertThatIllegalArgumentException().isThrownBy(() -> cache.set("k", "v", Duration.ofSeconds(-1)))
                    .withMessage("expiration must be positive but was PT-1S");
        }

        @Test
        void badConstructorArgumentsAreRefusedWithTheParameterAndItsValue() {
            assertThatIllegalArgumentException().isThrownBy(() -> new ArrowCache<>(Duration.ZERO, 10))
                    .withMessage("expiration must be positive but was PT0S");
            assertThatIllegalArgumentException().isThrownBy(() -> new ArrowCache<>(Duration.ofMinutes(1), 0))
                    .withMessage("maxEntries must be greater than or equal to 1 but was 0");
            assertThatNullPointerException().isThrownBy(() -> new ArrowCache<>(null, 10))
                    .withMessage("expiration must not be null");
        }

        @Test
        void badBuilderValuesAreRefusedWithTheParameterAndItsValue() {
            assertThatIllegalArgumentException().isThrownBy(() -> ArrowCache.builder().expiration(Duration.ofMinutes(-5)))
                    .withMessage("expiration must be positive but was PT-5M");
            assertThatIllegalArgumentException().isThrownBy(() -> ArrowCache.builder().expiration(Duration.ZERO))
                    .withMessage("expiration must be positive but was PT0S");
            assertThatIllegalArgumentException().isThrownBy(() -> ArrowCache.builder().maxEntries(-3))
                    .withMessage("maxEntries must be greater than or equal to 1 but was -3");
            assertThatIllegalArgumentException().isThrownBy(() -> ArrowCache.builder().name(" "))
                    .withMessage("name must not be blank but was ' '");
            assertThatNullPointerException().isThrownBy(() -> ArrowCache.builder().name(null))
                    .withMessage("name must not be null");
            assertThatNullPointerException().isThrownBy(() -> ArrowCache.builder().expiration(null))
                    .withMessage("expiration must not be null");
            assertThatNullPointerException().isThrownBy(() -> ArrowCache.builder().ticker(null))
                    .withMessage("ticker must not be null");
        }

        @Test
        void theBuilderRefusesASettingGivenTwice() {
            assertThatIllegalStateException().isThrownBy(() -> ArrowCache.builder().name("a").name("b"))
                    .withMessage("name was already set to a");
            assertThatIllegalStateException()
                    .isThrownBy(() -> ArrowCache.builder().expiration(Duration.ofMinutes(1)).expiration(Duration.ofMinutes(2)))
                    .withMessage("expiration was already set to PT1M");
            assertThatIllegalStateException().isThrownBy(() -> ArrowCache.builder().maxEntries(5).maxEntries(6))
                    .withMessage("maxEntries was already set to 5");
            assertThatIllegalStateException().isThrownBy(() -> ArrowCache.builder().ticker(System::nanoTime)
                    .ticker(System::nanoTime)).withMessageStartingWith("ticker was already set");
            assertThatIllegalStateException().isThrownBy(() -> ArrowCache.builder().recordStats(false).recordStats(true))
                    .withMessage("recordStats was already set to false");
        }
    }
}
