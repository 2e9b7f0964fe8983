import java.util.Arrays;

/**
 * Durations in nanoseconds, kept whole (not bucketed) so percentiles are exact. Not thread-safe:
 * each load thread fills its own, and they are merged after the threads have joined.
 */
final class Latencies {
    private long[] values = new long[1024];
    private int size;
    private boolean sorted;

    void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
        sorted = false;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) add(other.values[i]);
    }

    int count() {
        return size;
    }

    /** Nearest-rank percentile in milliseconds; NaN when empty. */
    double percentileMs(double p) {
        if (size == 0) return Double.NaN;
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double p50() {
        return percentileMs(50);
    }

    double p99() {
        return percentileMs(99);
    }

    double maxMs() {
        return percentileMs(100);
    }
}
