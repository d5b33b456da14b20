package p2pool4j.app;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON codec on jackson-core alone. Vert.x takes its databind codec whenever databind is
 * on the class path (the inspect and testminer commands use it), and that codec's ObjectMapper
 * loaded some 500 classes, 3.3 MB of metaspace, into a node whose JSON is only maps, lists,
 * strings, numbers and booleans. Registered in META-INF/services; its order is lower than Vert.x's
 * own factory's, so it is the one Vert.x loads.
 */
public final class CoreJson implements JsonFactory {
    private static final JacksonCodec CODEC = new JacksonCodec();

    @Override
    public int order() {
        return 0;
    }

    @Override
    public JsonCodec codec() {
        return CODEC;
    }
}
