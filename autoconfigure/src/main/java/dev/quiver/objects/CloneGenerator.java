package dev.quiver.objects;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Iterates over a source through copies of its elements, so that callers can change what they receive without
 * corrupting the source.
 * <p>
 * Each element is copied when the iteration reaches it, not before, and each call to {@link #iterator()} starts a
 * fresh pass over the source that copies every element again. Iteration never hands out an element of the source
 * itself. By default elements are deep-copied through in-memory Java serialization, so they must be
 * {@link Serializable} all the way down; for other elements, pass a copier. A {@code null} element is handed out as
 * {@code null}: there is nothing to copy or corrupt.
 * <p>
 * The generator holds no state of its own between passes; it is as safe to share between threads as its source
 * is to iterate concurrently. Each iterator is meant for one thread, and does not support {@code remove()}.
 *
 * @param <T> the type of the elements
 */
public final class CloneGenerator<T extends @Nullable Object> implements Iterable<T> {

    private final Iterable<? extends T> source;

    private final @Nullable UnaryOperator<T> copier;

    /**
     * Creates a generator that deep-copies each element through Java serialization.
     *
     * @param source the elements to copy
     * @throws NullPointerException if {@code source} is null
     */
    public CloneGenerator(Iterable<? extends T> source) {
        this.source = Objects.requireNonNull(source, "source must not be null");
        this.copier = null;
    }

    /**
     * Creates a generator that copies each non-null element with {@code copier}.
     *
     * @param source the elements to copy
     * @param copier returns a copy of the element it is given; it must not return that element itself
     * @throws NullPointerException if {@code source} or {@code copier} is null
     */
    public CloneGenerator(Iterable<? extends T> source, UnaryOperator<T> copier) {
        this.source = Objects.requireNonNull(source, "source must not be null");
        this.copier = Objects.requireNonNull(copier, "copier must not be null");
    }

    /**
     * Starts a fresh pass over the source. Each call to {@code next()} copies the next element of the source.
     * <p>
     * {@code next()} throws {@link IllegalArgumentException} when an element cannot be copied through serialization
     * (the message names the element's index and class), and {@link IllegalStateException} when the copier returns
     * the element it was given.
     *
     * @return an iterator over copies of the source's elements
     */
    @Override
    public Iterator<T> iterator() {
        return new CopyingIterator(this.source.iterator());
    }

    private T copy(T element, long index) {
        if (element == null) {
            return element;
        }
        if (this.copier != null) {
            T copy = this.copier.apply(element);
            if (copy == element) {
                throw new IllegalStateException("The copier returned element " + index + " ("
                        + element.getClass().getName() + ") itself instead of a copy");
            }
            return copy;
        }
        return copyBySerialization(element, index);
    }

    private static <T> T copyBySerialization(T element, long index) {
        String described = "Element " + index + " (" + element.getClass().getName() + ")";
        String advice = "; pass a copier: new CloneGenerator<>(source, copier)";
        if (!(element instanceof Serializable serializable)) {
            throw new IllegalArgumentException(described + " is not Serializable" + advice);
        }
        try {
            @SuppressWarnings("unchecked") // a serialization copy has the class of its original
            T copy = (T) SerializationCopier.copy(serializable);
            return copy;
        }
        catch (NotSerializableException ex) {
            // the exception's message is the name of the class that could not be written
            throw new IllegalArgumentException(described + " holds an instance of " + ex.getMessage()
                    + ", which is not Serializable" + advice, ex);
        }
        catch (IOException | ClassNotFoundException ex) {
            throw new IllegalArgumentException(described + " cannot be copied through serialization: " + ex
                    + advice, ex);
        }
    }

    /** One pass over the source; copies lazily, one element per {@code next()}. */
    private final class CopyingIterator implements Iterator<T> {

        private final Iterator<? extends T> elements;

        private long index;

        CopyingIterator(Iterator<? extends T> elements) {
            this.elements = elements;
        }

        @Override
        public boolean hasNext() {
            return this.elements.hasNext();
        }

        @Override
        public T next() {
            T element = this.elements.next();
            return copy(element, this.index++);
        }
    }
}
