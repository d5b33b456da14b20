package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CoreJsonTest {
    @Test
    void vertxUsesTheCoreCodecAlthoughDatabindIsOnTheClassPath() {
        assertSame(new CoreJson().codec(), Json.CODEC);
        assertFalse(Json.CODEC instanceof io.vertx.core.json.jackson.DatabindCodec, "databind's ObjectMapper would load ~500 classes");
    }

    @Test
    void theNodesJsonShapesRoundTrip() {
        JsonObject o = new JsonObject().put("s", "é\"x").put("i", 7).put("l", 1L << 40).put("d", 0.25).put("b", true).putNull("n")
                .put("a", new JsonArray().add(1).add("two").add(new JsonObject().put("k", -3.5)));
        assertEquals(o, new JsonObject(o.encode()));
        assertEquals("{\"d\":0.25,\"a\":[1]}", new JsonObject().put("d", 0.25).put("a", new JsonArray().add(1)).encode());
    }
}
