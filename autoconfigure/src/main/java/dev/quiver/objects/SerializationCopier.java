package dev.quiver.objects;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Deep-copies an object graph by writing it with Java serialization to a byte array and reading it back.
 * <p>
 * This is the only class in Quiver allowed to use {@link ObjectInputStream}. It is safe here because the stream
 * only ever reads bytes that this class has just written itself from an object already in memory: no bytes from
 * outside the process ever reach it, so none of the usual deserialization attacks apply.
 */
final class SerializationCopier {

    private SerializationCopier() {
    }

    /**
     * Returns a deep copy of {@code original}.
     *
     * @param <T> the type of the object
     * @param original the object to copy
     * @return a copy that shares no serializable state with {@code original}
     * @throws java.io.NotSerializableException if the graph holds an object that is not {@link Serializable}
     * @throws IOException if the graph cannot be written or read back for another reason
     * @throws ClassNotFoundException if a class in the graph cannot be resolved when reading back
     */
    static <T extends Serializable> T copy(T original) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        Map<String, Class<?>> written;
        try (RecordingOutputStream out = new RecordingOutputStream(bytes)) {
            out.writeObject(original);
            written = out.written;
        }
        try (ResolvingInputStream in = new ResolvingInputStream(new ByteArrayInputStream(bytes.toByteArray()),
                written, original.getClass().getClassLoader())) {
            @SuppressWarnings("unchecked") // the stream holds exactly the object written above
            T copy = (T) in.readObject();
            return copy;
        }
    }

    /** Remembers every class it writes a descriptor for, so reading back can resolve to the very same classes. */
    private static final class RecordingOutputStream extends ObjectOutputStream {

        private final Map<String, Class<?>> written = new HashMap<>();

        RecordingOutputStream(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> type) {
            this.written.put(type.getName(), type);
        }
    }

    /**
     * Resolves classes to the ones written, then through the thread context class loader, then through the loader
     * of the copied object's class. Resolving by name through the caller's loader alone (what a plain
     * {@link ObjectInputStream} does) breaks under Spring Boot devtools and nested fat-jar loaders, where the
     * application's classes live in a child loader: the copy's class would not be the original's.
     */
    private static final class ResolvingInputStream extends ObjectInputStream {

        private final Map<String, Class<?>> written;

        private final @Nullable ClassLoader elementLoader;

        ResolvingInputStream(ByteArrayInputStream in, Map<String, Class<?>> written,
                @Nullable ClassLoader elementLoader) throws IOException {
            super(in);
            this.written = written;
            this.elementLoader = elementLoader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass descriptor) throws IOException, ClassNotFoundException {
            String name = descriptor.getName();
            Class<?> type = this.written.get(name);
            if (type != null) {
                return type;
            }
            ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
            if (contextLoader != null) {
                try {
                    return Class.forName(name, false, contextLoader);
                }
                catch (ClassNotFoundException ex) {
                    // fall through to the element's own loader
                }
            }
            if (this.elementLoader != null) {
                try {
                    return Class.forName(name, false, this.elementLoader);
                }
                catch (ClassNotFoundException ex) {
                    // fall through to the default resolution (primitive types, platform classes)
                }
            }
            return super.resolveClass(descriptor);
        }
    }
}
