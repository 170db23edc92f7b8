package dev.streamingcdp.bench;

import java.util.Locale;

/**
 * One of the targets, judged against a measured value: met or missed, and by how much.
 *
 * @param atMost true when the value must stay at or below the limit, false when it must reach it
 */
public record Target(String name, double value, double limit, String unit, boolean atMost) {

    /** Missing data (e.g. no latency sample arrived) is never a met target. */
    public boolean met() {
        if (Double.isNaN(value) || value < 0) {
            return false;
        }
        return atMost ? value <= limit : value >= limit;
    }

    /** "met, 40 ms below the limit" or "missed by 12 ms (12% over)". */
    public String verdict() {
        if (Double.isNaN(value) || value < 0) {
            return "not measured (no samples)";
        }
        double gap = Math.abs(value - limit);
        double percent = limit == 0 ? 0 : 100 * gap / limit;
        String direction = atMost ? (met() ? "below" : "over") : (met() ? "above" : "under");
        return String.format(Locale.ROOT, "%s %s %s (%.0f%% %s the target)", met() ? "met by" : "missed by",
                SvgBarChart.number(round(gap)), unit, percent, direction);
    }

    private static double round(double v) {
        return Math.abs(v) >= 10 ? Math.rint(v) : Math.rint(v * 100) / 100;
    }
}
