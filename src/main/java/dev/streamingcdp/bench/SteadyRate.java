package dev.streamingcdp.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The source's read count over time, and its rate over a window of the backlog that is past JIT warm-up and start-up
 * and short of the last partly filled batches (see {@link #window}).
 */
final class SteadyRate {

    /** Without a warm-up backlog, the first quarter of the records stands in for it. */
    static final double FROM = 0.25;
    /** The tail after 90 % of the measured records is the last partly filled batches, not the job's pace. */
    static final double TO = 0.90;

    /** The read counts between which the rate is taken. */
    record Window(double from, double to) {}

    private final List<double[]> samples = new ArrayList<>();

    /**
     * The measured window of a backlog of {@code records} whose first {@code warmupRecords} are a warm-up: from the end
     * of the warm-up (or, without one, from 25 % of the records) to 90 % of the records after the warm-up.
     */
    static Window window(long records, long warmupRecords) {
        if (warmupRecords < 0 || warmupRecords >= records) {
            throw new IllegalArgumentException("warm-up of " + warmupRecords + " records in a backlog of " + records);
        }
        long measured = records - warmupRecords;
        double from = warmupRecords > 0 ? warmupRecords : FROM * records;
        return new Window(from, warmupRecords + TO * measured);
    }

    /** A poll: {@code read} records had been read {@code seconds} after any reference point. */
    void add(double seconds, double read) {
        samples.add(new double[] {seconds, read});
    }

    /** Records per second between the moments {@code FROM} and {@code TO} of {@code records} were read; NaN if unseen. */
    double rate(long records) {
        return rate(window(records, 0));
    }

    /** Records per second across the window, interpolated between polls; NaN until the source read past its end. */
    double rate(Window w) {
        double start = timeOf(w.from());
        double end = timeOf(w.to());
        return end > start ? (w.to() - w.from()) / (end - start) : Double.NaN;
    }

    /** When the count reached {@code target}, interpolated linearly between the polls around it; NaN if never. */
    private double timeOf(double target) {
        for (int i = 0; i < samples.size(); i++) {
            double[] s = samples.get(i);
            if (s[1] >= target) {
                if (i == 0) {
                    return s[0];
                }
                double[] p = samples.get(i - 1);
                return p[0] + (s[0] - p[0]) * (target - p[1]) / (s[1] - p[1]);
            }
        }
        return Double.NaN;
    }
}
