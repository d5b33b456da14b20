package p2pool4j.getwork;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import p2pool4j.bitcoin.ParseException;

/**
 * What a client can send the worker port over HTTP: a request head (line by line, as the
 * connection cuts it at CRLF), a JSON-RPC body, and getwork data to submit. Each input ends in a
 * request, a typed {@link HttpHead.Refusal}, {@link RpcRequest.Invalid} or {@link ParseException},
 * never another exception, and never takes 100 ms. Seeds: requests real getwork miners send
 * ({@code GetworkInputFuzzTestInputs/}); {@code JAZZER_FUZZ=1} fuzzes.
 */
class GetworkInputFuzzTest {
    private static final p2pool4j.testutil.FuzzClock CLOCK = new p2pool4j.testutil.FuzzClock();

    @FuzzTest(maxDuration = "60s")
    void requests(byte[] input) {
        CLOCK.start();
        String all = new String(input, StandardCharsets.ISO_8859_1);
        HttpHead head = new HttpHead();
        int at = 0;
        try {
            while (at <= all.length()) {
                int crlf = all.indexOf("\r\n", at);
                if (crlf < 0 || crlf - at > HttpHead.MAX_BYTES) {
                    break; // the connection's record parser stops at 8 KiB without a CRLF
                }
                HttpHead.Request r = head.line(all.substring(at, crlf));
                at = crlf + 2;
                if (r != null) {
                    int end = Math.min(all.length(), at + r.contentLength());
                    body(new String(input, at, end - at, StandardCharsets.UTF_8));
                    r.keepAlive();
                    GetworkConnection.user(r.header("authorization"));
                    at = end;
                }
            }
        } catch (HttpHead.Refusal expected) {
            // a typed refusal, answered with its status
        }
        CLOCK.check();
    }

    private static void body(String text) {
        try {
            RpcRequest rpc = RpcRequest.parse(text);
            if (rpc.submittedData() != null) {
                RpcRequest.header(rpc.submittedData());
            }
        } catch (RpcRequest.Invalid | ParseException expected) {
            // a typed refusal
        }
    }
}
