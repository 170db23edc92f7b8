package dev.streamingcdp.bench;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as SVG text, one panel per measure, so a report can show its figures without a plotting
 * library. Each panel scales to its own largest value; an optional target draws a dashed line.
 */
public final class SvgBarChart {

    public record Bar(String label, double value) {}

    /** @param target draws a dashed line at this value; NaN for none */
    public record Panel(String title, String unit, List<Bar> bars, double target) {}

    private static final int WIDTH = 720;
    private static final int LABEL_WIDTH = 200;
    private static final int BAR_HEIGHT = 22;
    private static final int TITLE_HEIGHT = 28;
    private static final int GAP = 16;
    private static final int VALUE_WIDTH = 130;

    private SvgBarChart() {}

    public static String render(String title, List<Panel> panels) {
        StringBuilder body = new StringBuilder();
        int y = 34;
        for (Panel panel : panels) {
            y = panel(body, panel, y) + GAP;
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                + "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>%n%s</svg>%n",
                WIDTH, y, escape(title), body);
    }

    private static int panel(StringBuilder out, Panel panel, int top) {
        out.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s (%s)</text>%n",
                top + 16, escape(panel.title()), escape(panel.unit())));
        double max = panel.bars().stream().mapToDouble(Bar::value).max().orElse(0);
        if (!Double.isNaN(panel.target())) {
            max = Math.max(max, panel.target());
        }
        double scale = max > 0 ? (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max : 0;
        int y = top + TITLE_HEIGHT;
        for (Bar bar : panel.bars()) {
            double length = Math.max(0, bar.value()) * scale;
            out.append(String.format(Locale.ROOT,
                    "<text x=\"10\" y=\"%d\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                            + "fill=\"#4a7ebb\"/><text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    y + 15, escape(bar.label()), LABEL_WIDTH, y + 3, length, BAR_HEIGHT - 6,
                    LABEL_WIDTH + length + 6, y + 15, escape(number(bar.value()))));
            y += BAR_HEIGHT;
        }
        if (!Double.isNaN(panel.target())) {
            double x = LABEL_WIDTH + panel.target() * scale;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c0392b\" "
                    + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#c0392b\">target %s</text>%n",
                    x, top + TITLE_HEIGHT, x, y, x + 4, top + TITLE_HEIGHT - 2, escape(number(panel.target()))));
        }
        return y;
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,d", (long) value)
                : String.format(Locale.ROOT, "%,.2f", value).replaceAll("0$", "");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
