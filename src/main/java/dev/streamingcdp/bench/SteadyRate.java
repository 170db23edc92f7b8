package dev.streamingcdp.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The source's read count over time, and the rate between two fractions of the backlog (25 % and 90 %): the first
 * quarter is JIT warm-up and start-up, the tail is the last partly filled batches, neither is the job's steady pace.
 */
final class SteadyRate {

    static final double FROM = 0.25;
    static final double TO = 0.90;

    private final List<double[]> samples = new ArrayList<>();

    /** A poll: {@code read} records had been read {@code seconds} after any reference point. */
    void add(double seconds, double read) {
        samples.add(new double[] {seconds, read});
    }

    /** Records per second between the moments {@code FROM} and {@code TO} of {@code records} were read; NaN if unseen. */
    double rate(long records) {
        double start = timeOf(FROM * records);
        double end = timeOf(TO * records);
        return end > start ? (TO - FROM) * records / (end - start) : Double.NaN;
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
