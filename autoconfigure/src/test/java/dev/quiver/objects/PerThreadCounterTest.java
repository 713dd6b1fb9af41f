package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PerThreadCounterTest {

    @Test
    void incrementsFromMoreThreadsThanSlotsAddUpExactly() throws InterruptedException {
        PerThreadCounter counter = new PerThreadCounter();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counter.increment();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(counter.sum()).isEqualTo(300L * 10_000);
    }

    @Test
    void aCellOfADeadThreadKeepsItsCountWhenAnotherThreadTakesItOver() throws InterruptedException {
        PerThreadCounter counter = new PerThreadCounter();
        for (int generation = 0; generation < 100; generation++) {
            Thread shortLived = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    counter.increment();
                }
            });
            shortLived.start();
            shortLived.join();
        }

        assertThat(counter.sum()).isEqualTo(100L * 1000);
    }
}
