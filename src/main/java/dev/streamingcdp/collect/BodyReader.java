package dev.streamingcdp.collect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body up to a limit, inflating gzip bodies: it stops at the first byte past the limit, so a huge body
 * (or a small gzip bomb) never fills memory.
 */
public final class BodyReader {

    private BodyReader() {}

    /** The body's bytes (decompressed), or a 400 naming the limit. */
    public static byte[] read(InputStream raw, String contentEncoding, int limit) throws Rejection, IOException {
        InputStream in = raw;
        if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.equalsIgnoreCase("identity")) {
            if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
                throw new Rejection(415, "unsupported_encoding",
                        "Content-Encoding '" + contentEncoding + "' is not supported (gzip or none)");
            }
            try {
                in = new GZIPInputStream(raw, 8192);
            } catch (ZipException | java.io.EOFException e) {
                throw Rejection.badRequest("bad_gzip", "the body is not valid gzip");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > limit) {
                    throw Rejection.badRequest("body_too_large", "the body is larger than " + limit + " bytes"
                            + (in != raw ? " after decompression" : ""));
                }
                out.write(buf, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw Rejection.badRequest("bad_gzip", "the body is not valid gzip");
        }
        return out.toByteArray();
    }
}
