package dev.quiver.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps the tags of the lock timers as Quiver documents them when they come from observations: Micrometer's meter
 * handler adds an {@code error} tag to every timer it makes, which for {@code quiver.lock.wait} only repeats
 * {@code outcome} ({@code error}) and for {@code quiver.lock.held} is always {@code none}; this filter drops it from
 * those two timers, so the meters keep one shape whether they are timed directly or observed.
 */
final class LockTimerTags implements MeterFilter {

    private static final String ERROR = "error";

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (!LockMetrics.WAIT.equals(name) && !LockMetrics.HELD.equals(name) || id.getTag(ERROR) == null) {
            return id;
        }
        List<Tag> kept = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            if (!ERROR.equals(tag.getKey())) {
                kept.add(tag);
            }
        }
        return id.replaceTags(kept);
    }
}
