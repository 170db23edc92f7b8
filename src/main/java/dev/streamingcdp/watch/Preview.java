package dev.streamingcdp.watch;

/** A raw payload made safe for one terminal line: control characters escaped, at most {@code max} characters. */
public final class Preview {

    private static final String MORE = "...";

    private Preview() {}

    public static String of(String text, int max) {
        StringBuilder out = new StringBuilder();
        int cut = 0; // the last piece boundary that still leaves room for MORE
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            String piece = escape(cp);
            if (out.length() + piece.length() > max) {
                return out.substring(0, cut) + MORE;
            }
            out.append(piece);
            if (out.length() <= max - MORE.length()) {
                cut = out.length();
            }
        }
        return out.toString();
    }

    // Escapes show what the payload literally contained; a raw newline or ESC would break or recolour the view.
    private static String escape(int cp) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    ? String.format("\\u%04x", cp) : Character.toString(cp);
        };
    }
}
