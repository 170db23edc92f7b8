package dev.streamingcdp.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A record as Avro binary: the form the store sink keeps what it has not written yet in, on the heap and in the
 * checkpoint (compact, and a copy, so object reuse upstream cannot change it).
 */
final class AvroBytes<T extends SpecificRecord> implements Serializable {

    private final Class<T> type;
    private transient SpecificDatumWriter<T> writer;
    private transient SpecificDatumReader<T> reader;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;

    AvroBytes(Class<T> type) {
        this.type = type;
    }

    byte[] encode(T record) {
        if (writer == null) {
            writer = new SpecificDatumWriter<>(type);
            buffer = new ByteArrayOutputStream(1024);
        }
        buffer.reset();
        try {
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writer.write(record, encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    T decode(byte[] bytes) throws IOException {
        if (reader == null) {
            reader = new SpecificDatumReader<>(type);
        }
        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
