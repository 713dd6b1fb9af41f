package dev.quiver.objects;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class CloneGeneratorTest {

    @Test
    void copiesAreDeepAndMutatingThemLeavesTheSourceUnchanged() {
        List<Map<String, List<Integer>>> source = nestedSource();
        List<Map<String, List<Integer>>> pristine = nestedSource();

        List<Map<String, List<Integer>>> copies = new ArrayList<>();
        new CloneGenerator<>(source).forEach(copies::add);

        assertThat(copies).isEqualTo(source);
        for (int i = 0; i < source.size(); i++) {
            Map<String, List<Integer>> original = source.get(i);
            Map<String, List<Integer>> copy = copies.get(i);
            assertThat(copy).isNotSameAs(original);
            for (String key : original.keySet()) {
                assertThat(copy.get(key)).isNotSameAs(original.get(key));
            }
            copy.get("scores").add(99);
            copy.get("scores").set(0, -1);
            copy.put("added", new ArrayList<>(List.of(7)));
            copy.remove("ranks");
        }
        assertThat(source).isEqualTo(pristine);
    }

    @Test
    void copiesHaveTheClassesOfTheirOriginals() {
        List<Point> source = List.of(new Point(1, 2));

        Point copy = new CloneGenerator<>(source).iterator().next();

        assertThat(copy).isNotSameAs(source.get(0)).isEqualTo(source.get(0));
        assertThat(copy.getClass()).isSameAs(Point.class);
    }

    @Test
    void anElementThatIsNotSerializableIsRefusedWithItsIndexAndClass() {
        List<Object> source = List.of("fine", new Opaque());

        Iterator<Object> copies = new CloneGenerator<>(source).iterator();
        copies.next();

        assertThatIllegalArgumentException().isThrownBy(copies::next)
            .withMessageContaining("Element 1")
            .withMessageContaining(Opaque.class.getName())
            .withMessageContaining("is not Serializable")
            .withMessageContaining("copier");
    }

    @Test
    void anElementHoldingSomethingNotSerializableIsRefusedNamingBothClasses() {
        List<Holder> source = List.of(new Holder(new Opaque()));

        assertThatIllegalArgumentException().isThrownBy(() -> new CloneGenerator<>(source).iterator().next())
            .withMessageContaining("Element 0 (" + Holder.class.getName() + ")")
            .withMessageContaining("holds an instance of " + Opaque.class.getName())
            .withMessageContaining("copier");
    }

    @Test
    void copyingIsLazySoALaterBadElementFailsOnlyWhenReached() {
        List<Object> source = Arrays.asList("a", "b", new Opaque());

        Iterator<Object> copies = new CloneGenerator<>(source).iterator();

        assertThat(copies.next()).isEqualTo("a");
        assertThat(copies.next()).isEqualTo("b");
        assertThat(copies.hasNext()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(copies::next).withMessageContaining("Element 2");
    }

    @Test
    void aCustomCopierIsUsedForEveryElement() {
        List<Opaque> source = List.of(new Opaque(), new Opaque());
        AtomicInteger calls = new AtomicInteger();

        List<Opaque> copies = new ArrayList<>();
        new CloneGenerator<>(source, (element) -> {
            calls.incrementAndGet();
            return new Opaque();
        }).forEach(copies::add);

        assertThat(calls).hasValue(2);
        assertThat(copies).hasSize(2).doesNotContainAnyElementsOf(source);
    }

    @Test
    void aCopierThatReturnsTheElementItselfIsRefused() {
        List<Opaque> source = List.of(new Opaque());

        assertThatIllegalStateException()
            .isThrownBy(() -> new CloneGenerator<>(source, (element) -> element).iterator().next())
            .withMessageContaining("element 0")
            .withMessageContaining(Opaque.class.getName());
    }

    @Test
    void eachIterationIsAFreshPassWithFreshCopies() {
        List<List<String>> source = List.of(new ArrayList<>(List.of("x")));
        AtomicInteger calls = new AtomicInteger();
        CloneGenerator<List<String>> generator = new CloneGenerator<>(source, (element) -> {
            calls.incrementAndGet();
            return new ArrayList<>(element);
        });

        List<String> first = generator.iterator().next();
        first.add("changed by the first pass");
        List<String> second = generator.iterator().next();

        assertThat(calls).hasValue(2);
        assertThat(second).isNotSameAs(first).containsExactly("x");
    }

    @Test
    void theIteratorStepsInLockstepWithTheSource() {
        AtomicInteger copied = new AtomicInteger();
        CloneGenerator<String> generator = new CloneGenerator<>(List.of("a", "b", "c"), (element) -> {
            copied.incrementAndGet();
            return new String(element);
        });

        Iterator<String> copies = generator.iterator();
        assertThat(copied).hasValue(0);
        copies.next();
        assertThat(copied).hasValue(1);
    }

    @Test
    void nullElementsAreHandedOutAsNullWithoutCallingTheCopier() {
        List<String> source = Arrays.asList("a", null);
        AtomicInteger calls = new AtomicInteger();

        List<String> viaSerialization = new ArrayList<>();
        new CloneGenerator<>(source).forEach(viaSerialization::add);
        List<String> viaCopier = new ArrayList<>();
        new CloneGenerator<>(source, (element) -> {
            calls.incrementAndGet();
            return new String(element);
        }).forEach(viaCopier::add);

        assertThat(viaSerialization).containsExactly("a", null);
        assertThat(viaCopier).containsExactly("a", null);
        assertThat(calls).hasValue(1);
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        assertThatNullPointerException().isThrownBy(() -> new CloneGenerator<>(null)).withMessageContaining("source");
        assertThatNullPointerException().isThrownBy(() -> new CloneGenerator<>(List.of("a"), null))
            .withMessageContaining("copier");
    }

    private static List<Map<String, List<Integer>>> nestedSource() {
        List<Map<String, List<Integer>>> source = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, List<Integer>> entry = new HashMap<>();
            entry.put("scores", new ArrayList<>(List.of(i, i + 1)));
            entry.put("ranks", new ArrayList<>(List.of(10 * i)));
            source.add(entry);
        }
        return source;
    }

    record Point(int x, int y) implements Serializable {
    }

    static final class Opaque {
    }

    static final class Holder implements Serializable {

        private final Object content;

        Holder(Object content) {
            this.content = content;
        }
    }
}
