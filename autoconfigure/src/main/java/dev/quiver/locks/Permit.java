package dev.quiver.locks;

/**
 * Proof of one acquisition of an {@link AsyncLock}; closing it releases that acquisition, so it fits
 * try-with-resources.
 */
public interface Permit extends AutoCloseable {

    /**
     * Releases the acquisition this permit stands for. The first call releases; later calls do nothing.
     */
    @Override
    void close();
}
